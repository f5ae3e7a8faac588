import { createClient } from 'redis';

/**
 * A node-redis connection as the bare loops use it: RESP2, so that raw stream replies are
 * plain arrays (as in the transport), and without node-redis 6's default per-command
 * timeout (5 s), which arms an `AbortSignal.timeout` for every command and alone halves
 * the throughput of a tight loop (see the README). A hand-written loop that cares about
 * throughput turns it off; the transport keeps its own settings.
 */
export function redisConnection(url: string) {
  return createClient({ url, RESP: 2, commandOptions: { timeout: 0 } });
}

export type Connection = ReturnType<typeof redisConnection>;

/** One entry of an XREAD/XREADGROUP reply: its id and its field/value list. */
export type RawEntry = [string, string[]];

/** The entries of the first stream of an XREAD/XREADGROUP reply (RESP2), or none. */
export function firstStreamEntries(reply: unknown): RawEntry[] {
  if (!Array.isArray(reply)) return [];
  const first = reply[0] as [string, RawEntry[]] | undefined;
  return first?.[1] ?? [];
}

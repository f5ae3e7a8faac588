import { fieldsToRecord } from './envelope';
import type { RedisConnection } from './redis-connection';

/** The state of a consumed stream for one group. */
export interface StreamState {
  readonly stream: string;
  /** Delivered and not acknowledged. */
  readonly pending: number;
  /** Not yet delivered; null when Redis cannot tell. */
  readonly lag: number | null;
}

/** The pending count and lag of `group` on each stream, and the dead-letter stream's length. */
export async function inspectStreams(
  commands: RedisConnection,
  group: string,
  streams: readonly string[],
  deadLetterKey: string,
): Promise<{ streams: StreamState[]; deadLetters: number }> {
  const states = await Promise.all(
    streams.map(async (key) => {
      const groups = (await commands.sendCommand(['XINFO', 'GROUPS', key])) as unknown[][];
      const mine = groups
        // A nil (RESP2 null) lag means Redis cannot tell it; keep it apart from the number.
        .map((fields) => fieldsToRecord(fields.map((value) => (value === null ? '' : String(value)))))
        .find((candidate) => candidate.name === group);
      const lag = mine?.lag;
      return {
        stream: key,
        pending: Number(mine?.pending ?? 0),
        lag: lag === undefined || lag === '' ? null : Number(lag),
      };
    }),
  );
  const deadLetters = Number(await commands.sendCommand(['XLEN', deadLetterKey]));
  return { streams: states, deadLetters };
}

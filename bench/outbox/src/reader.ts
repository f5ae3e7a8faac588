import { createClient } from 'redis';
import { monotonicMs } from './clock';
import type { Arrivals, ReadCommand, ReaderCommand, ReaderReply } from './protocol';

/** Entries per XREAD, and how long one blocks before the reader checks its deadline. */
const READ_COUNT = '1000';
const BLOCK_MS = '500';

type RawEntry = [string, string[]];

function entriesOf(reply: unknown): RawEntry[] {
  if (!Array.isArray(reply)) return [];
  return ((reply[0] as [string, RawEntry[]] | undefined)?.[1] ?? []) as RawEntry[];
}

function orderIdOf(fields: readonly string[]): string {
  for (let i = 0; i + 1 < fields.length; i += 2) {
    if (fields[i] === 'data') return String((JSON.parse(fields[i + 1] as string) as { orderId?: unknown }).orderId);
  }
  return '';
}

/**
 * The stream's consumer, in a process of its own so that neither the producer's work nor
 * SQLite's synchronous calls delay it: `XREAD BLOCK` on its own connection, and the time each
 * entry arrived. Node-redis's per-command timeout is off: a blocking read outlasts it.
 */
async function main(): Promise<void> {
  const send = (reply: ReaderReply) => process.send?.(reply);
  const redis = createClient({ url: process.argv[2], RESP: 2, commandOptions: { timeout: 0 } });
  await redis.connect();

  const read = async (command: ReadCommand): Promise<Arrivals> => {
    const arrivals: Arrivals = { orderIds: [], atMs: [] };
    const deadline = monotonicMs() + command.timeoutMs;
    let last = '0-0';
    while (arrivals.orderIds.length < command.count && monotonicMs() < deadline) {
      const reply = await redis.sendCommand([
        'XREAD',
        'COUNT',
        READ_COUNT,
        'BLOCK',
        BLOCK_MS,
        'STREAMS',
        command.key,
        last,
      ]);
      const atMs = monotonicMs();
      for (const [entryId, fields] of entriesOf(reply)) {
        last = entryId;
        arrivals.orderIds.push(orderIdOf(fields));
        arrivals.atMs.push(atMs);
      }
    }
    return arrivals;
  };

  process.on('message', (command: ReaderCommand) => {
    if (command.type === 'stop') {
      void redis.close().finally(() => process.exit(0));
      return;
    }
    read(command).then(
      (arrivals) => send({ type: 'arrivals', ...arrivals }),
      (error: unknown) =>
        send({ type: 'failed', error: error instanceof Error ? (error.stack ?? error.message) : String(error) }),
    );
  });
  // The coordinator is gone (it failed or was killed): nobody reads what this process measures.
  process.on('disconnect', () => process.exit(0));
  send({ type: 'ready' });
}

main().catch((error: unknown) => {
  process.send?.({ type: 'failed', error: error instanceof Error ? (error.stack ?? error.message) : String(error) });
  process.exitCode = 1;
  process.disconnect?.();
});

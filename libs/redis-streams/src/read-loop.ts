import { type ConsumerHost, isNoGroup, waitOn } from './consumer-host';
import type { RedisConnection } from './redis-connection';
import { type StreamEntry, parseReadReply } from './stream-entries';

/**
 * Reads new entries of every consumed stream for the group (`XREADGROUP … >`), as many as
 * there are free handler slots, and hands each to `host.process`, until the server stops.
 * A failed read waits (with backoff, on the clock) and goes on; `NOGROUP` re-creates the groups.
 */
export async function runReadLoop(host: ConsumerHost, reader: RedisConnection): Promise<void> {
  const { gate, settings } = host;
  const keys = host.streams.map((stream) => stream.key);
  const args = [
    'XREADGROUP',
    'GROUP',
    host.group,
    host.consumer,
    'COUNT',
    '',
    'BLOCK',
    String(settings.blockMs),
    'STREAMS',
    ...keys,
    ...keys.map(() => '>'),
  ];
  let failures = 0;
  while (host.running) {
    await gate.whenAvailable();
    if (!host.running) break;
    const slots = gate.tryAcquire(settings.batchSize);
    if (slots === 0) continue;
    let entries: StreamEntry[];
    try {
      args[5] = String(slots);
      entries = parseReadReply(await reader.sendCommand(args));
      failures = 0;
    } catch (error) {
      gate.release(slots);
      if (!host.running) break;
      if (isNoGroup(error)) {
        await host.ensureGroups().catch((cause: unknown) => host.reportError(cause as Error));
      } else {
        failures++;
        await waitOn(settings.clock, Math.min(settings.reconnectMaxDelayMs, settings.reconnectBaseDelayMs * failures));
      }
      continue;
    }
    if (slots > entries.length) gate.release(slots - entries.length);
    // COUNT applies to each stream, so a read of several streams can bring more entries than
    // slots taken: those wait for a slot of their own (or stay pending if the server closes).
    entries.forEach((entry, index) => {
      if (index < slots) void host.process(entry, 1);
      else void gate.acquire().then(() => (host.running ? host.process(entry, 1) : gate.release()));
    });
  }
}

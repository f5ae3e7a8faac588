import type { RedisConnection } from './redis-connection';
import { fieldsToRecord } from './envelope';
import { replayOrder } from './replay-order';
import type { StreamEntry } from './stream-entries';

/** Why a message was given up on. */
export interface DeadLetterReason {
  readonly code: string;
  readonly message: string;
}

/** A dead letter as stored in `<prefix>dlq:<service>`. */
export interface DeadLetter {
  /** Its entry id in the dead-letter stream. */
  readonly deadLetterId: string;
  /** The envelope id and pattern, when the entry had them. */
  readonly messageId: string | null;
  readonly pattern: string | null;
  readonly error: DeadLetterReason;
  readonly sourceStream: string;
  readonly sourceId: string;
  readonly group: string;
  readonly consumer: string;
  readonly deliveries: number;
  readonly failedAt: string;
  /** The original entry's fields, replayed as they were. */
  readonly fields: readonly string[];
}

/**
 * Moves a message to the dead-letter stream and acknowledges it, atomically (MULTI):
 * it is never both lost and acknowledged, nor dead-lettered twice by one delivery.
 */
export async function deadLetter(
  connection: RedisConnection,
  target: { key: string; maxLen: number; group: string; consumer: string },
  entry: StreamEntry & { fields: readonly string[] },
  deliveries: number,
  reason: DeadLetterReason,
  now = Date.now(),
): Promise<void> {
  const original = fieldsToRecord(entry.fields);
  await connection
    .multi()
    .addCommand([
      'XADD',
      target.key,
      'MAXLEN',
      '~',
      String(target.maxLen),
      '*',
      'id',
      original.id ?? '',
      'pattern',
      original.pattern ?? '',
      'error',
      JSON.stringify(reason),
      'sourceStream',
      entry.stream,
      'sourceId',
      entry.entryId,
      'group',
      target.group,
      'consumer',
      target.consumer,
      'deliveries',
      String(deliveries),
      'failedAt',
      new Date(now).toISOString(),
      'entry',
      JSON.stringify(entry.fields),
    ])
    .addCommand(['XACK', entry.stream, target.group, entry.entryId])
    .exec();
}

function toDeadLetter(deadLetterId: string, fields: readonly string[]): DeadLetter {
  const record = fieldsToRecord(fields);
  const parse = <T>(text: string | undefined, fallback: T): T => {
    try {
      return text === undefined ? fallback : (JSON.parse(text) as T);
    } catch {
      return fallback;
    }
  };
  return {
    deadLetterId,
    messageId: record.id || null,
    pattern: record.pattern || null,
    error: parse(record.error, { code: 'UNKNOWN', message: record.error ?? '' }),
    sourceStream: record.sourceStream ?? '',
    sourceId: record.sourceId ?? '',
    group: record.group ?? '',
    consumer: record.consumer ?? '',
    deliveries: Number(record.deliveries ?? 0),
    failedAt: record.failedAt ?? '',
    fields: parse(record.entry, []),
  };
}

/** The oldest dead letters of a stream (up to `count`). */
export async function listDeadLetters(connection: RedisConnection, key: string, count = 100): Promise<DeadLetter[]> {
  const reply = (await connection.sendCommand(['XRANGE', key, '-', '+', 'COUNT', String(count)])) as [
    string,
    string[],
  ][];
  return reply.map(([id, fields]) => toDeadLetter(id, fields));
}

/**
 * Moves dead letters back to the streams they came from, as they were (same envelope id,
 * so consumers that deduplicate by it stay safe), and removes them from the dead-letter
 * stream, each atomically. With `ids`, only those; otherwise the oldest `count`.
 *
 * They go back in dead-letter order, except that the integration events of each aggregate
 * (`data.origin` + `data.aggregateId`) go in ascending `data.sequence` (see
 * {@link replayOrder}); letters without those fields (snapshots, commands) keep their place.
 * Returns the dead letters replayed, in the order they were replayed.
 */
export async function replayDeadLetters(
  connection: RedisConnection,
  key: string,
  selection: { ids?: readonly string[]; count?: number } = {},
): Promise<DeadLetter[]> {
  const letters = selection.ids
    ? (
        await Promise.all(
          selection.ids.map(async (id) => {
            const reply = (await connection.sendCommand(['XRANGE', key, id, id])) as [string, string[]][];
            return reply.map(([entryId, fields]) => toDeadLetter(entryId, fields));
          }),
        )
      ).flat()
    : await listDeadLetters(connection, key, selection.count ?? 100);
  const replayed: DeadLetter[] = [];
  for (const letter of replayOrder(letters, (l) => l.fields)) {
    if (!letter.sourceStream || letter.fields.length === 0) continue;
    await connection
      .multi()
      .addCommand(['XADD', letter.sourceStream, '*', ...letter.fields])
      .addCommand(['XDEL', key, letter.deadLetterId])
      .exec();
    replayed.push(letter);
  }
  return replayed;
}

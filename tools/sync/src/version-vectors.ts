import type { Query } from './side-database';
import type { VersionVector } from './sync-report';

/** The row of `inbox_sequences` that stands for the whole aggregate (libs/outbox); no origin of events. */
const AGGREGATE_ROW_ORIGIN = '';

/**
 * Each aggregate's version vector on one side (libs/outbox's sequence tables): the last
 * sequence its own outbox gave (`outbox_sequences`, origin = the process) and the last it
 * applied of every other origin (`inbox_sequences`, consumer = the process).
 */
export async function readVersionVectors(
  query: Query,
  process: string,
  aggregateType: string,
): Promise<Map<string, VersionVector>> {
  const own = await query(
    'SELECT aggregate_id, origin, last_sequence FROM outbox_sequences WHERE aggregate_type = ? AND origin = ?',
    [aggregateType, process],
  );
  const applied = await query(
    'SELECT aggregate_id, origin, last_sequence FROM inbox_sequences ' +
      'WHERE aggregate_type = ? AND consumer = ? AND origin <> ?',
    [aggregateType, process, AGGREGATE_ROW_ORIGIN],
  );
  const vectors = new Map<string, Record<string, number>>();
  for (const row of [...own, ...applied]) {
    const id = String(row.aggregate_id).toLowerCase();
    const sequence = Number(row.last_sequence);
    if (sequence <= 0) continue; // a row locked by a transaction that gave its number back
    const vector = vectors.get(id) ?? {};
    vector[String(row.origin)] = sequence;
    vectors.set(id, vector);
  }
  return vectors;
}

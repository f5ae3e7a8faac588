import { fieldsToRecord } from './envelope';

/** Where an integration event stands in its aggregate's history, read from its data. */
export interface AggregatePosition {
  /** The aggregate: its origin service and id. */
  readonly aggregate: string;
  readonly sequence: number;
}

/**
 * The position of an entry (its field list) in its aggregate's history: `data.origin`,
 * `data.aggregateId` and a numeric `data.sequence`; null when it lacks any of them (a
 * snapshot, a command, anything that is no integration event) or its data is not JSON.
 */
export function aggregatePosition(fields: readonly string[]): AggregatePosition | null {
  let data: unknown;
  try {
    data = JSON.parse(fieldsToRecord(fields).data ?? 'null');
  } catch {
    return null;
  }
  if (typeof data !== 'object' || data === null) return null;
  const { origin, aggregateId, sequence } = data as Record<string, unknown>;
  if (typeof origin !== 'string' || (typeof aggregateId !== 'string' && typeof aggregateId !== 'number')) return null;
  if (typeof sequence !== 'number' || !Number.isFinite(sequence)) return null;
  return { aggregate: JSON.stringify([origin, String(aggregateId)]), sequence };
}

/**
 * The order in which to replay `items`: the events of each aggregate go in ascending
 * `sequence`, taking the places its events held among the items (so an aggregate's first
 * event goes where its earliest dead letter was); items without a position keep theirs.
 * Events with equal sequences keep their relative order.
 */
export function replayOrder<T>(items: readonly T[], fieldsOf: (item: T) => readonly string[]): T[] {
  const positions = items.map((item) => aggregatePosition(fieldsOf(item)));
  const slots = new Map<string, number[]>();
  positions.forEach((position, index) => {
    if (!position) return;
    const taken = slots.get(position.aggregate);
    if (taken) taken.push(index);
    else slots.set(position.aggregate, [index]);
  });
  const ordered = [...items];
  for (const indexes of slots.values()) {
    const sorted = [...indexes].sort((a, b) => (positions[a]?.sequence ?? 0) - (positions[b]?.sequence ?? 0) || a - b);
    indexes.forEach((slot, k) => (ordered[slot] = items[sorted[k] as number] as T));
  }
  return ordered;
}

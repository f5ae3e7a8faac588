import { SERVICE_NAME_FORMAT } from '../primitives';

/**
 * A write's response header, from the side that committed it to the facade (never to the client):
 * the position of every integration event the write committed.
 */
export const POSITIONS_HEADER = 'x-ficus-positions';
/** A request's header, from the facade to the side it routes to: the positions the answer must reflect. */
export const AWAIT_HEADER = 'x-ficus-await';
/**
 * A response's header, from a side to the facade (never to the client): every position of the
 * request's `x-ficus-await` is reflected in this answer (applied, of this side's own origin, or of
 * a kind this side does not keep). The facade then stops sending those positions to that side.
 */
export const APPLIED_HEADER = 'x-ficus-applied';
/** A response's header to the client: `stale` when the side answered before it had applied every awaited position. */
export const CONSISTENCY_HEADER = 'x-ficus-consistency';

/** At most this many positions travel in one header (a longer list is refused, not cut). */
export const MAX_POSITIONS = 500;

/** Where an integration event stands: the origin's sequence number of it within its aggregate. */
export interface Position {
  readonly origin: string;
  readonly aggregateType: string;
  readonly aggregateId: string;
  /** The origin's per-aggregate counter (from 1), as the outbox numbered the event. */
  readonly sequence: number;
}

export type PositionsResult =
  { readonly ok: true; readonly positions: readonly Position[] } | { readonly ok: false; readonly reason: string };

/** Aggregate types and ids: lower case words, and ids of letters, digits, `-` and `_` (UUIDs). */
const TYPE_FORMAT = /^[a-z][a-z0-9_-]{0,63}$/;
const ID_FORMAT = /^[A-Za-z0-9_-]{1,128}$/;
const SEQUENCE_FORMAT = /^[1-9][0-9]{0,15}$/;

/** `origin:aggregateType:aggregateId:sequence`, comma-separated; `''` for none. */
export function formatPositions(positions: Iterable<Position>): string {
  const parts: string[] = [];
  for (const p of positions) parts.push(`${p.origin}:${p.aggregateType}:${p.aggregateId}:${p.sequence}`);
  return parts.join(',');
}

/**
 * Reads a positions header (as Node gives it: one value, several, or none). Keeps the highest
 * sequence of each (origin, aggregate). A malformed entry refuses the whole header, with the
 * reason, so that a broken sender is noticed rather than half believed.
 */
export function parsePositions(value: string | readonly string[] | undefined): PositionsResult {
  if (value === undefined) return { ok: true, positions: [] };
  const text = typeof value === 'string' ? value : value.join(',');
  const highest = new Map<string, Position>();
  for (const raw of text.split(',')) {
    const entry = raw.trim();
    if (entry === '') continue;
    const fields = entry.split(':');
    if (fields.length !== 4) return refused(entry, 'is not origin:aggregateType:aggregateId:sequence');
    const [origin, aggregateType, aggregateId, sequenceText] = fields as [string, string, string, string];
    if (!SERVICE_NAME_FORMAT.test(origin)) return refused(entry, 'has an invalid origin');
    if (!TYPE_FORMAT.test(aggregateType)) return refused(entry, 'has an invalid aggregate type');
    if (!ID_FORMAT.test(aggregateId)) return refused(entry, 'has an invalid aggregate id');
    if (!SEQUENCE_FORMAT.test(sequenceText)) return refused(entry, 'has an invalid sequence');
    const sequence = Number(sequenceText);
    if (!Number.isSafeInteger(sequence)) return refused(entry, 'has an invalid sequence');
    const key = `${origin}:${aggregateType}:${aggregateId}`;
    const known = highest.get(key);
    if (!known || known.sequence < sequence) highest.set(key, { origin, aggregateType, aggregateId, sequence });
    if (highest.size > MAX_POSITIONS) return { ok: false, reason: `more than ${MAX_POSITIONS} positions` };
  }
  return { ok: true, positions: [...highest.values()] };
}

function refused(entry: string, why: string): PositionsResult {
  const shown = entry.length > 80 ? `${entry.slice(0, 80)}…` : entry;
  return { ok: false, reason: `the position "${shown}" ${why}` };
}

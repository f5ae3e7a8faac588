/** origin → last sequence. */
export type SequenceVector = Readonly<Record<string, number>>;

/**
 * Whether a snapshot reflecting `snapshot` is at least as new as what is known (`known`):
 * every origin's sequence in it is at least the known one (a missing origin counts as 0).
 */
export function coversKnown(snapshot: SequenceVector, known: SequenceVector): boolean {
  return Object.entries(known).every(([origin, sequence]) => (snapshot[origin] ?? 0) >= sequence);
}

/** The origins of `snapshot` (other than `own`) whose applied sequence must move forward, with their new value. */
export function advancedOrigins(
  snapshot: SequenceVector,
  applied: SequenceVector,
  own: string,
): [origin: string, sequence: number][] {
  return Object.entries(snapshot)
    .filter(([origin, sequence]) => origin !== own && sequence > (applied[origin] ?? 0))
    .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
}

/**
 * Whether a snapshot of one origin's part of an aggregate (`publisher`: a field it alone keeps
 * the sum of with others' deltas, such as stock) applies: it must bring that origin forward,
 * and agree exactly with what is known of every other origin (a missing one counts as 0), so
 * that its absolute value holds the same deltas of theirs as this side does. Otherwise it does
 * not apply now; the consumer asks again while its gap is open.
 */
export function originPartApplies(snapshot: SequenceVector, known: SequenceVector, publisher: string): boolean {
  if ((snapshot[publisher] ?? 0) <= (known[publisher] ?? 0)) return false;
  const others = new Set([...Object.keys(snapshot), ...Object.keys(known)]);
  others.delete(publisher);
  return [...others].every((origin) => (snapshot[origin] ?? 0) === (known[origin] ?? 0));
}

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

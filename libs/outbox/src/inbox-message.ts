/** What the inbox did with a message: ran the work (with its result), or skipped it and why. */
export type InboxOutcome<T> =
  | { readonly applied: true; readonly result: T }
  | { readonly applied: false; readonly reason: 'duplicate' | 'stale' | 'parked' };

/** A sequenced event as the inbox needs it. */
export interface SequencedMessage {
  readonly id: string;
  readonly origin: string;
  readonly aggregateType: string;
  readonly aggregateId: string;
  readonly sequence: number;
  /**
   * The message as received: with it, an event that comes before its predecessor is parked
   * (kept until the predecessor has been applied) instead of failing with `INBOX_OUT_OF_ORDER`.
   */
  readonly payload?: { readonly pattern: string; readonly data: unknown };
}

/** A snapshot (absolute state) with the last sequence of each origin it reflects. */
export interface SnapshotMessage {
  readonly id: string;
  readonly aggregateType: string;
  readonly aggregateId: string;
  readonly sequences: Readonly<Record<string, number>>;
  /**
   * Set for a snapshot of one origin's part of the aggregate (its publisher's): it applies only
   * when it moves that origin forward and agrees with what is applied of every other origin,
   * and it advances that origin alone. Absent: a snapshot of the whole aggregate.
   */
  readonly partOf?: string;
}

export const text = (field: string, max: number, value: unknown): string | undefined =>
  typeof value === 'string' && value.length > 0 && value.length <= max
    ? undefined
    : `${field} must be a string of 1 to ${max} characters (got ${JSON.stringify(value)})`;

export const sequenceProblem = (field: string, value: unknown, min: number): string | undefined =>
  Number.isSafeInteger(value) && (value as number) >= min
    ? undefined
    : `${field} must be an integer of at least ${min} (got ${JSON.stringify(value)})`;

/** A compared value as read back: a number for integer fields, a string for text fields. */
export type FieldValue = number | string | null;

/** The compared fields of one aggregate on one side, by field name. */
export type FieldValues = Readonly<Record<string, FieldValue>>;

/** origin → the last sequence of that origin's events of the aggregate that this side reflects. */
export type VersionVector = Readonly<Record<string, number>>;

/** One side of a differing aggregate. */
export interface SideState {
  readonly process: string;
  /** Null: this side does not hold the aggregate. */
  readonly values: FieldValues | null;
  /** Its own outbox sequence and the inbox sequences it applied, per origin; `{}` when it has none. */
  readonly vector: VersionVector;
}

/** Events of `origin` that `process` has not applied although another side has: `from`..`to` (inclusive). */
export interface MissingEvents {
  readonly process: string;
  readonly origin: string;
  readonly from: number;
  readonly to: number;
}

/** An aggregate whose sides are not all equal. */
export interface Difference {
  readonly kind: string;
  readonly aggregateType: string;
  readonly aggregateId: string;
  /** The fields whose values are not the same on every side (every field when a side lacks the aggregate). */
  readonly fields: readonly string[];
  /** The processes that do not hold the aggregate. */
  readonly missingAt: readonly string[];
  /** Every side, in the kind's order. */
  readonly sides: readonly SideState[];
  /** What the version vectors say each side has not applied yet (what a resend would have to cover). */
  readonly missingEvents: readonly MissingEvents[];
}

/** The outcome for one kind. */
export interface KindResult {
  readonly kind: string;
  readonly aggregateType: string;
  readonly sides: readonly string[];
  /** Aggregates held by at least one side. */
  readonly compared: number;
  readonly differences: readonly Difference[];
}

/** One check of every selected kind. */
export interface SyncReport {
  readonly equal: boolean;
  readonly kinds: readonly KindResult[];
  /** How many times the sides were read (more than 1 with `--wait`). */
  readonly checks: number;
  readonly elapsedMs: number;
}

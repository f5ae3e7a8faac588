/** How a compared value is read back: PostgreSQL returns `bigint` as text, SQLite as a number. */
export type FieldType = 'integer' | 'text';

/** One column compared across sides, by its name in the output (`balanceCents`). */
export interface FieldSpec {
  readonly name: string;
  readonly type: FieldType;
}

/**
 * One side that holds the aggregate: a process of the stack (`tools/stack/src/processes.ts`) and
 * the query over its own database that gives one row per aggregate, its id as `id` and each
 * field under its name. The query runs unchanged on SQLite and PostgreSQL.
 */
export interface KindSide {
  readonly process: string;
  readonly sql: string;
}

/**
 * A kind of shared aggregate compared on every side that holds it. Every side listed is
 * expected to hold every aggregate any other side holds (it receives them all: see the
 * `consumed-events.ts` of its app), so an aggregate absent on one side is a difference. A
 * process that never receives the kind's values is simply not a side of it.
 */
export interface AggregateKind {
  /** What `--kind` names it: `wallets`. */
  readonly name: string;
  /** The `aggregate_type` of its events and of the sequence rows that make its version vectors. */
  readonly aggregateType: string;
  readonly fields: readonly [FieldSpec, ...FieldSpec[]];
  /**
   * The events that bring an aggregate to a side (`product.created`, snapshots) and those that
   * change the compared values (`stock.adjusted`). A side is a process that applies a `changes`
   * event (its app's consumed-events.ts), and each side publishes or applies a `creates` event;
   * `kinds.spec.ts` holds the table to the apps' code.
   */
  readonly events: { readonly creates: readonly string[]; readonly changes: readonly string[] };
  readonly sides: readonly [KindSide, KindSide, ...KindSide[]];
}

/** Shorthands for the kind files. */
export const integer = (name: string): FieldSpec => ({ name, type: 'integer' });
export const text = (name: string): FieldSpec => ({ name, type: 'text' });

import { z } from 'zod';
import { assertDefinition } from './definition-checks';
import { eventHeaderShape, snapshotHeaderShape, type EventHeaderKey } from './headers';
import type { AggregateType, ServiceName } from './services';

type EventHeaderShape<V extends number> = ReturnType<typeof eventHeaderShape<V>>;
type SnapshotHeaderShape<V extends number> = ReturnType<typeof snapshotHeaderShape<V>>;

/** The full schema of an event's data: header and payload, strict. */
export type EventSchema<V extends number, S extends z.ZodRawShape> = z.ZodObject<
  EventHeaderShape<V> & S,
  z.core.$strict
>;
/** The full schema of a snapshot's data: snapshot header and payload, strict. */
export type SnapshotSchema<V extends number, S extends z.ZodRawShape> = z.ZodObject<
  SnapshotHeaderShape<V> & S,
  z.core.$strict
>;

/** A published integration event (or snapshot): its name, its schema, who sends it and who reads it. */
export interface EventDefinition<
  P extends string = string,
  A extends AggregateType = AggregateType,
  S extends z.ZodType = z.ZodType,
  K extends 'event' | 'snapshot' = 'event' | 'snapshot',
> {
  readonly kind: K;
  readonly pattern: P;
  readonly schemaVersion: number;
  readonly aggregateType: A;
  /** Validates the whole `data` of the message, header included (a Standard Schema). */
  readonly schema: S;
  readonly description: string;
  readonly publishers: readonly ServiceName[];
  readonly consumers: readonly ServiceName[];
  /** A valid `data`, for documentation and tests. */
  readonly example: z.input<S>;
  /** Snapshots: what state they carry (see {@link SnapshotScope}); events: `aggregate`. */
  readonly scope: SnapshotScope;
}

/**
 * What a snapshot carries: `aggregate`, the whole state of the aggregate (a consumer applies
 * it when it covers every origin it has applied, and catches up on all of them); `origin`,
 * only the part its publisher keeps, such as a stock summed from every origin's deltas (a
 * consumer applies it when it brings the publisher forward and matches every other origin
 * exactly, and catches up on the publisher alone).
 */
export type SnapshotScope = 'aggregate' | 'origin';

/** What `defineEvent` / `defineSnapshot` take; `T` is the full schema they build. */
export interface EventSpec<
  P extends string,
  A extends AggregateType,
  V extends number,
  S extends z.ZodRawShape,
  T extends z.ZodType,
> {
  readonly pattern: P;
  readonly schemaVersion: V;
  readonly aggregateType: A;
  /** What the event means, for the people who consume it. */
  readonly description: string;
  readonly publishers: readonly ServiceName[];
  readonly consumers: readonly ServiceName[];
  /** The fields after the header. */
  readonly payload: S;
  /** Rules across fields; report each broken rule with `ctx.addIssue({ code: 'custom', path, message })`. */
  readonly refine?: (data: z.output<T>, ctx: z.core.$RefinementCtx<z.output<T>>) => void;
  /** A valid `data`, for documentation and tests. */
  readonly example: NoInfer<z.input<T>>;
  /** Snapshots only: what state the snapshot carries (default `aggregate`; see {@link SnapshotScope}). */
  readonly scope?: SnapshotScope;
}

type AnySpec = EventSpec<string, AggregateType, number, z.ZodRawShape, z.ZodType>;

function build<K extends 'event' | 'snapshot', S extends z.ZodObject>(kind: K, spec: AnySpec, schema: S) {
  assertDefinition(kind === 'event' ? 'defineEvent' : 'defineSnapshot', spec, {
    publishers: spec.publishers,
    consumers: spec.consumers,
  });
  if (kind === 'event' && spec.scope !== undefined) {
    throw new TypeError(`defineEvent(${JSON.stringify(spec.pattern)}): scope is for snapshots only`);
  }
  if (spec.scope !== undefined && spec.scope !== 'aggregate' && spec.scope !== 'origin') {
    throw new TypeError(`defineSnapshot(${JSON.stringify(spec.pattern)}): scope must be 'aggregate' or 'origin'`);
  }
  const refined = spec.refine ? schema.superRefine(spec.refine as never) : schema;
  return Object.freeze({
    kind,
    pattern: spec.pattern,
    schemaVersion: spec.schemaVersion,
    aggregateType: spec.aggregateType,
    schema: refined,
    description: spec.description,
    publishers: Object.freeze([...spec.publishers]),
    consumers: Object.freeze([...spec.consumers]),
    example: Object.freeze(spec.example),
    scope: spec.scope ?? 'aggregate',
  });
}

/**
 * Defines an integration event: the header (`id`, `schemaVersion`, `occurredAt`, `origin`,
 * `aggregateId`, `sequence`) followed by `payload`, as one strict schema.
 *
 * @example
 * export const WalletCredited = defineEvent({
 *   pattern: 'wallet.credited', schemaVersion: 1, aggregateType: 'customer', description: '…',
 *   publishers: ['payments'], consumers: ['legacy-monolith'],
 *   payload: { customerId: Uuid, amountCents: z.int().min(1) },
 *   example: { … },
 * });
 */
export function defineEvent<
  const P extends string,
  const A extends AggregateType,
  const V extends number,
  const S extends z.ZodRawShape,
>(spec: Omit<EventSpec<P, A, V, S, EventSchema<V, S>>, 'scope'>): EventDefinition<P, A, EventSchema<V, S>, 'event'> {
  const schema = z.strictObject({ ...eventHeaderShape(spec.schemaVersion), ...spec.payload });
  return build('event', spec as AnySpec, schema) as never;
}

/**
 * Defines a snapshot event, published by a backfill: the header has no `sequence` but
 * `sequences` (origin name → the last sequence of that origin the snapshot reflects).
 */
export function defineSnapshot<
  const P extends string,
  const A extends AggregateType,
  const V extends number,
  const S extends z.ZodRawShape,
>(spec: EventSpec<P, A, V, S, SnapshotSchema<V, S>>): EventDefinition<P, A, SnapshotSchema<V, S>, 'snapshot'> {
  const schema = z.strictObject({ ...snapshotHeaderShape(spec.schemaVersion), ...spec.payload });
  return build('snapshot', spec as AnySpec, schema) as never;
}

/** The data of a message, as its schema outputs it. */
export type EventData<D extends { readonly schema: z.ZodType }> = z.output<D['schema']>;

/** The data without the header fields: what a producer supplies (snapshots keep `sequences`). */
export type EventBody<D extends { readonly schema: z.ZodType }> = D extends unknown
  ? Omit<EventData<D>, EventHeaderKey>
  : never;

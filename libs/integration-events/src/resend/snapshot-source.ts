import type { EntityManager } from 'typeorm';

/**
 * What a service that owns an aggregate can do when a consumer's gap reaches back past its
 * outbox's retention: record the aggregate's current state as a snapshot event (with the
 * sequences it reflects) in the given transaction. Registered with
 * `IntegrationEventsModule.forRoot({ snapshotSources: [...] })`.
 */
export interface SnapshotSource {
  /** The aggregate type it snapshots (`customer`, `product`, …). */
  readonly aggregateType: string;
  /** Records the snapshot; false when this service holds no such aggregate. */
  record(manager: EntityManager, aggregateId: string): Promise<boolean>;
}

/** The app's {@link SnapshotSource}s. */
export const SNAPSHOT_SOURCES = Symbol('SNAPSHOT_SOURCES');

export { CONSISTENCY_ERRORS, ConsistencyError } from './consistency/consistency.errors';
export type { ConsistencyErrorCode } from './consistency/consistency.errors';
export { PositionsGate } from './consistency/positions-gate';
export type { GateOutcome } from './consistency/positions-gate';
export { CONSISTENCY_RECHECK_MS } from './consistency/wait-for-positions';
export { InboxMessageEntity } from './entities/inbox-message.entity';
export { InboxSequenceEntity } from './entities/inbox-sequence.entity';
export { OutboxEventEntity } from './entities/outbox-event.entity';
export { OutboxRelayLockEntity } from './entities/outbox-relay-lock.entity';
export { OutboxSequenceEntity } from './entities/outbox-sequence.entity';
export { InboxError, OUTBOX_ERRORS, OutboxError } from './errors';
export type { InboxErrorCode, OutboxErrorCode } from './errors';
export { Inbox } from './inbox';
export type { InboxOutcome, SequencedMessage, SnapshotMessage } from './inbox-message';
export type { InboxSequenceKey } from './inbox-sequence-rows';
export { InboxParkedEntity } from './entities/inbox-parked.entity';
export { InboxParked1765100000000 } from './migrations/1765100000000-inbox-parked';
export { claimDueGaps, parkedSummary, readyParked } from './parking/parked-rows';
export type { OpenGap, ParkedMessage } from './parking/parked-rows';
export { OutboxResender } from './resend/outbox-resender';
export type { ResendOutcome, ResendRequest } from './resend/outbox-resender';
export { OutboxSchema1764000000000 } from './migrations/1764000000000-outbox-schema';
export { Outbox } from './outbox';
export type { AddOptions, AddedEvent, NewOutboxEvent } from './outbox-event';
export { OutboxPurger } from './outbox-purger';
export type { PurgeReport } from './outbox-purger';
export { OutboxRelay } from './outbox-relay';
export { OUTBOX_SCHEMA } from './outbox-schema';
export {
  DEFAULT_OUTBOX_PUBLISH_TIMEOUT_MS,
  DEFAULT_OUTBOX_PURGE_BATCH_SIZE,
  DEFAULT_OUTBOX_RETRY_BASE_DELAY_MS,
  resolveOutboxOptions,
} from './outbox-settings';
export type { OutboxOptions, OutboxSettings } from './outbox-settings';
export {
  DEFAULT_CONSISTENCY_WAIT_MS,
  DEFAULT_INBOX_RETENTION_HOURS,
  DEFAULT_OUTBOX_BATCH_SIZE,
  DEFAULT_OUTBOX_MAX_LAG_MS,
  DEFAULT_OUTBOX_POLL_INTERVAL_MS,
  DEFAULT_OUTBOX_PURGE_INTERVAL_MS,
  DEFAULT_OUTBOX_RETENTION_HOURS,
  DEFAULT_OUTBOX_RETRY_MAX_DELAY_MS,
  MAX_CONSISTENCY_WAIT_MS,
  outboxConfig,
  readOutboxConfig,
} from './outbox.config';
export type { OutboxConfig } from './outbox.config';
export { OutboxHealthIndicator } from './outbox.health';
export { OutboxMetrics } from './outbox.metrics';
export type { Backlog } from './outbox.metrics';
export { OutboxModule } from './outbox.module';
export type { OutboxModuleOptions } from './outbox.module';
export { CONSISTENCY_CLOCK, OUTBOX_METRICS, OUTBOX_OPTIONS, OUTBOX_PUBLISHER, OUTBOX_STREAMS_CLIENT } from './tokens';
export { reportPositions } from './consistency/request-positions';

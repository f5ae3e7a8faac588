export { commandIdOf } from './command-id';
export { DEFAULT_COMMAND_TIMEOUT_MS, DEFAULT_RETRY, defineSaga } from './define-saga';
export type { AnySaga, Saga, SagaAction, SagaCommand, SagaDefinition, SagaStep, StepResult } from './define-saga';
export {
  FINAL_STATUSES,
  SagaTransitionError,
  decide,
  retryCompensation,
  retryDelay,
  startSaga,
} from './saga-decisions';
export type { RetryPolicy, SagaEvent, SagaPhase, SagaShape, SagaState, SagaStatus } from './saga-decisions';
export { SagaInstanceEntity } from './saga-instance.entity';
export { SagaRunner } from './saga-runner';
export type { SagaRunnerOptions } from './saga-runner';
export { SagaInstances } from './saga-instances';
export type { SagaHealth } from './saga-instances';
export type { SagaView } from './saga-rows';
export { SagaMetrics } from './saga-metrics';
export type { InstanceCounts } from './saga-metrics';
export { DEFAULT_STUCK_AFTER_MS, SagasHealthIndicator } from './sagas.health';
export { RedisStreamsSagaTransport } from './saga-transport';
export type { RedisStreamsTransportOptions, SagaReply, SagaTransport } from './saga-transport';
export { SAGAS_ERRORS, SagaError } from './sagas.errors';
export type { SagaErrorCode } from './sagas.errors';
export { SAGAS_SCHEMA } from './sagas-schema';
export { SagasSchema1765300000000 } from './migrations/1765300000000-sagas-schema';
export { DEFAULT_SAGAS_LEASE_MS, DEFAULT_SAGAS_POLL_INTERVAL_MS, readSagasConfig, sagasConfig } from './sagas.config';
export type { SagasConfig } from './sagas.config';
export { SagasModule } from './sagas.module';
export { SAGA_RUNNER, SAGAS_STUCK_AFTER_MS } from './tokens';
export type { SagaEndHandler, SagasModuleOptions } from './sagas.module';
export { SagaEndedEvent } from './saga-ended.event';

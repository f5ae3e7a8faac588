/** The module's `SagaRunner`. */
export const SAGA_RUNNER = Symbol('SAGA_RUNNER');

/** How long an instance's action may stay due before readiness calls it stuck (`SAGAS_STUCK_AFTER_MS`). */
export const SAGAS_STUCK_AFTER_MS = Symbol('SAGAS_STUCK_AFTER_MS');

import type { HealthIndicatorResult } from '@nestjs/terminus';

/**
 * One dependency that must be up for the process to take traffic (database, Redis, …).
 * Apps list their checks in `ServiceDefaultsModule.forRoot({ readiness: [...] })`.
 */
export interface ReadinessCheck {
  check(): PromiseLike<HealthIndicatorResult>;
}

export const READINESS_CHECKS = Symbol('READINESS_CHECKS');

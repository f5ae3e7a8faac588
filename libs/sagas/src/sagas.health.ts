import { Inject, Injectable, Optional } from '@nestjs/common';
import { HealthIndicatorResult, HealthIndicatorService } from '@nestjs/terminus';
import type { ReadinessCheck } from '@app/service-defaults';
import type { SagaRunner } from './saga-runner';
import { SAGAS_STUCK_AFTER_MS, SAGA_RUNNER } from './tokens';

/** How long an instance's action may stay due before readiness calls it stuck. */
export const DEFAULT_STUCK_AFTER_MS = 60_000;

/**
 * Readiness of a service's sagas (key `sagas`): down while an instance's action has been due for
 * longer than `stuckAfterMs` (nothing advances it), or when the database does not answer; names
 * the instances stopped for a person (`COMPENSATION_FAILED`) either way, without going down for
 * them (the service still serves; they wait for `retry`).
 * Injectable wherever `SagasModule` is imported (it provides `SAGA_RUNNER` and
 * `SAGAS_STUCK_AFTER_MS`), so a service lists it in `ServiceDefaultsModule`'s `readiness`.
 */
@Injectable()
export class SagasHealthIndicator implements ReadinessCheck {
  constructor(
    private readonly indicators: HealthIndicatorService,
    @Inject(SAGA_RUNNER) private readonly runner: SagaRunner,
    @Optional() @Inject(SAGAS_STUCK_AFTER_MS) private readonly stuckAfterMs: number = DEFAULT_STUCK_AFTER_MS,
  ) {}

  async check(): Promise<HealthIndicatorResult> {
    const session = this.indicators.check('sagas');
    try {
      const health = await this.runner.health(this.stuckAfterMs);
      const details = { ...health, stuckAfterMs: this.stuckAfterMs };
      if (health.stuck.length > 0) {
        return session.down({
          ...details,
          message: `${health.stuck.length} saga instance(s) due for more than ${this.stuckAfterMs} ms`,
        });
      }
      return session.up(details);
    } catch (error) {
      return session.down({
        message: `The database does not answer: ${error instanceof Error ? error.message : String(error)}`,
      });
    }
  }
}

import { Inject, Injectable } from '@nestjs/common';
import { HealthIndicatorResult, HealthIndicatorService } from '@nestjs/terminus';
import type { ReadinessCheck } from '@app/service-defaults';
import { Outbox } from './outbox';
import type { OutboxOptions } from './outbox-settings';
import type { Backlog } from './outbox.metrics';
import { OUTBOX_OPTIONS } from './tokens';

const QUERY_TIMEOUT_MS = 1_000;

/**
 * Readiness of the outbox (key `outbox`): down when the oldest unpublished row is older than
 * `OUTBOX_MAX_LAG_MS` (Redis has not taken events for that long) or the database does not
 * answer within a second; reports the unpublished count and the oldest age either way.
 *
 * @example
 * ServiceDefaultsModule.forRoot({ ..., readiness: [DatabaseReadinessCheck, OutboxHealthIndicator] })
 */
@Injectable()
export class OutboxHealthIndicator implements ReadinessCheck {
  constructor(
    private readonly indicators: HealthIndicatorService,
    private readonly outbox: Outbox,
    @Inject(OUTBOX_OPTIONS) private readonly options: OutboxOptions,
  ) {}

  async check(): Promise<HealthIndicatorResult> {
    const session = this.indicators.check('outbox');
    let backlog: Backlog;
    let timer: NodeJS.Timeout | undefined;
    try {
      backlog = await Promise.race([
        this.outbox.backlog(),
        new Promise<never>((_, reject) => {
          timer = setTimeout(() => reject(new Error(`no answer within ${QUERY_TIMEOUT_MS} ms`)), QUERY_TIMEOUT_MS);
        }),
      ]);
    } catch (error) {
      return session.down({
        message: `The database does not answer: ${error instanceof Error ? error.message : String(error)}`,
      });
    } finally {
      clearTimeout(timer);
    }
    const details = {
      unpublished: backlog.unpublished,
      oldestAgeMs: backlog.oldestAgeMs,
      maxLagMs: this.options.maxLagMs,
    };
    if (backlog.oldestAgeMs !== null && backlog.oldestAgeMs > this.options.maxLagMs) {
      return session.down({
        ...details,
        message: `The oldest unpublished event has waited ${backlog.oldestAgeMs} ms (limit ${this.options.maxLagMs} ms)`,
      });
    }
    return session.up(details);
  }
}

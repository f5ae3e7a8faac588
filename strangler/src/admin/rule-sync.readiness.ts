import { Inject, Injectable } from '@nestjs/common';
import { HealthIndicatorService } from '@nestjs/terminus';
import type { ReadinessCheck } from '@app/service-defaults';
import type { RuleSyncStatusSource } from '../store';
import { RULE_SYNC } from './admin-deps';

/**
 * `rules` in `/health/ready`. Up while the instance has rules to route with, with
 * `degraded: true` (and why) when Redis is away or the instance cannot keep up with the
 * store: it goes on serving the last version it has, and taking every instance out of the
 * balancer because Redis blinked would turn a store outage into a traffic outage. Down
 * only when it has no rules at all.
 */
@Injectable()
export class RuleSyncReadinessCheck implements ReadinessCheck {
  constructor(
    private readonly indicators: HealthIndicatorService,
    @Inject(RULE_SYNC) private readonly sync: RuleSyncStatusSource,
  ) {}

  async check() {
    const session = this.indicators.check('rules');
    const status = this.sync.status();
    if (status.activeVersion === 0) return session.down({ ...status, message: 'no rules loaded' });
    return session.up({ ...status, degraded: status.state === 'degraded' });
  }
}

import { Inject, Injectable } from '@nestjs/common';
import { HealthIndicatorResult, HealthIndicatorService } from '@nestjs/terminus';
import { EventsServer } from '@app/integration-events';
import type { ReadinessCheck } from '@app/service-defaults';
import { type CatalogConfig, catalogConfig } from '../catalog.config';
import { ProjectionLagMonitor } from './projection-lag.monitor';

/**
 * Readiness of the read model (key `projection`): down while the last applied event had
 * waited longer than `CATALOG_MAX_LAG_MS` AND the consumer group still has messages not yet
 * acknowledged (delivered but pending, or not yet delivered), i.e. while the catalog is
 * catching up on a backlog. An idle projection whose last event was old is up.
 */
@Injectable()
export class ProjectionLagReadiness implements ReadinessCheck {
  constructor(
    private readonly indicators: HealthIndicatorService,
    private readonly monitor: ProjectionLagMonitor,
    private readonly events: EventsServer,
    @Inject(catalogConfig.KEY) private readonly config: CatalogConfig,
  ) {}

  async check(): Promise<HealthIndicatorResult> {
    const session = this.indicators.check('projection');
    const lastLagMs = this.monitor.lastLagMs ?? null;
    const details = { lastLagMs, maxLagMs: this.config.maxLagMs };
    if (lastLagMs === null || lastLagMs <= this.config.maxLagMs) return session.up(details);
    const server = this.events.get();
    // Without a consumer the events check is down already and says why.
    if (!server) return session.up(details);
    let unacknowledged: number;
    try {
      const { streams } = await server.inspect();
      unacknowledged = streams.reduce((sum, stream) => sum + stream.pending + (stream.lag ?? 0), 0);
    } catch (error) {
      return session.down({
        ...details,
        message: `Redis does not answer: ${error instanceof Error ? error.message : String(error)}`,
      });
    }
    if (unacknowledged === 0) return session.up({ ...details, unacknowledged });
    return session.down({
      ...details,
      unacknowledged,
      message: `The last event applied had waited ${lastLagMs} ms (limit ${this.config.maxLagMs} ms) and ${unacknowledged} messages wait`,
    });
  }
}

import { Inject, Injectable } from '@nestjs/common';
import type { HealthIndicatorResult } from '@nestjs/terminus';
import { HealthIndicatorService } from '@nestjs/terminus';
import { Outbox } from '@app/outbox';
import { RedisStreamsHealthIndicator } from '@app/redis-streams';
import type { ReadinessCheck } from '@app/service-defaults';
import { EventsServer } from './events-server';
import { type IntegrationEventsConfig, integrationEventsConfig } from './integration-events.config';

/**
 * Readiness of the event consumer: Redis answers, the consumer group's lag, pending messages
 * and dead letters are within the transport's limits, and no gap (an event parked for its
 * predecessor) is older than `EVENTS_GAP_READY_LIMIT_MS`: until then this side does not hold
 * what the others do. Before `connectIntegrationEvents` ran (an app built without consuming)
 * it is down.
 */
@Injectable()
export class IntegrationEventsReadiness implements ReadinessCheck {
  private readonly streams: RedisStreamsHealthIndicator;

  constructor(
    private readonly server: EventsServer,
    private readonly indicators: HealthIndicatorService,
    private readonly outbox: Outbox,
    @Inject(integrationEventsConfig.KEY) private readonly config: IntegrationEventsConfig,
  ) {
    this.streams = new RedisStreamsHealthIndicator(indicators);
  }

  async check(): Promise<HealthIndicatorResult> {
    const server = this.server.get();
    if (!server) {
      return this.indicators.check('events').down({ message: 'the event consumer is not started' });
    }
    const [streams, backlog] = await Promise.all([
      this.streams.check('events', server),
      this.outbox.backlog().catch(() => undefined),
    ]);
    const result = streams.events ?? { status: 'down' };
    if (!backlog) return streams;
    const gaps = { parked: backlog.parked, oldestGapAgeMs: backlog.oldestParkedAgeMs };
    const limit = this.config.gapReadyLimitMs;
    const open = (backlog.oldestParkedAgeMs ?? 0) > limit;
    const problems = [
      ...((result.problems as string[] | undefined) ?? []),
      ...(open
        ? [
            `a gap has been open for ${backlog.oldestParkedAgeMs} ms (limit ${limit}): events wait for their predecessor`,
          ]
        : []),
    ];
    const session = this.indicators.check('events');
    const { status, ...details } = result;
    return status === 'up' && !open ? session.up({ ...details, gaps }) : session.down({ ...details, gaps, problems });
  }
}

import { Injectable } from '@nestjs/common';
import type { HealthIndicatorResult } from '@nestjs/terminus';
import { HealthIndicatorService } from '@nestjs/terminus';
import { RedisStreamsHealthIndicator } from '@app/redis-streams';
import type { ReadinessCheck } from '@app/service-defaults';
import { EventsServer } from './events-server';

/**
 * Readiness of the event consumer: Redis answers and the consumer group's lag, pending
 * messages and dead letters are within the transport's limits. Before
 * `connectIntegrationEvents` ran (an app built without consuming) it is down.
 */
@Injectable()
export class IntegrationEventsReadiness implements ReadinessCheck {
  private readonly streams: RedisStreamsHealthIndicator;

  constructor(
    private readonly server: EventsServer,
    private readonly indicators: HealthIndicatorService,
  ) {
    this.streams = new RedisStreamsHealthIndicator(indicators);
  }

  check(): Promise<HealthIndicatorResult> {
    const server = this.server.get();
    if (!server) {
      return Promise.resolve(this.indicators.check('events').down({ message: 'the event consumer is not started' }));
    }
    return this.streams.check('events', server);
  }
}

import {
  type BeforeApplicationShutdown,
  DynamicModule,
  Global,
  Inject,
  type MiddlewareConsumer,
  Module,
  type NestModule,
} from '@nestjs/common';
import { ConfigModule } from '@nestjs/config';
import { APP_INTERCEPTOR } from '@nestjs/core';
import { HealthIndicatorService } from '@nestjs/terminus';
import { IDEMPOTENCY_POSITIONS } from '@app/idempotency';
import { RedisStreamsClient, systemClock } from '@app/redis-streams';
import { MetricsRegistry } from '@app/service-defaults';
import { AppliedPositions } from './consistency/applied-positions';
import { AwaitPositionsInterceptor } from './consistency/await-positions.interceptor';
import { OutboxIdempotencyPositions } from './consistency/outbox-idempotency-positions';
import { PositionsGate } from './consistency/positions-gate';
import { RequestPositionsMiddleware } from './consistency/request-positions.middleware';
import { Inbox } from './inbox';
import { Outbox } from './outbox';
import { OutboxCommitListener } from './outbox-commit.listener';
import { OutboxPurger } from './outbox-purger';
import { OutboxRelay } from './outbox-relay';
import { OutboxResender } from './resend/outbox-resender';
import { type OutboxOptions, type OutboxSettings, resolveOutboxOptions } from './outbox-settings';
import { type OutboxConfig, outboxConfig, readOutboxConfig } from './outbox.config';
import { OutboxHealthIndicator } from './outbox.health';
import { OutboxMetrics } from './outbox.metrics';
import {
  APPLIED_AGGREGATE_TYPES,
  CONSISTENCY_CLOCK,
  OUTBOX_METRICS,
  OUTBOX_OPTIONS,
  OUTBOX_PUBLISHER,
  OUTBOX_STREAMS_CLIENT,
} from './tokens';

export interface OutboxModuleOptions {
  /** This service's name: `meta.origin` of its events and the origin its sequences count for. */
  readonly origin: string;
  /** Settings that win over the `outbox` configuration area (tests, tools). */
  readonly settings?: Partial<OutboxSettings>;
  /**
   * The aggregate types this service applies from other origins (`IntegrationEventsModule`
   * passes those it consumes). A request awaiting positions of other types does not wait for
   * them: nothing here would ever apply them. Absent: every type is awaited.
   */
  readonly appliedAggregateTypes?: readonly string[];
}

const OPTIONAL_METRICS = { token: MetricsRegistry, optional: true };

/**
 * The transactional outbox and inbox (global). Needs `DatabaseModule` (with
 * `OUTBOX_SCHEMA` merged into its schema); uses the app's `MetricsRegistry` when there is one.
 * The relay publishes through `OUTBOX_PUBLISHER`, the `RedisStreamsClient` the module opens
 * (`OUTBOX_STREAMS_CLIENT`) unless that token is overridden. Starts the relay and the purger
 * on bootstrap; stops them on shutdown, then closes that client. Over HTTP, every response
 * lists the positions its request committed (`x-ficus-positions`) and a request with
 * `x-ficus-await` waits for those positions to be applied (see the README, "Reads see the
 * writes before them"); it provides `IDEMPOTENCY_POSITIONS`, so that an answer replayed by
 * `@app/idempotency` lists the positions the first one did.
 *
 * @example
 * imports: [DatabaseModule.forRoot({ processName, ...schema }), OutboxModule.forRoot({ origin: 'orders' })]
 */
@Global()
@Module({})
export class OutboxModule implements BeforeApplicationShutdown, NestModule {
  constructor(@Inject(OUTBOX_STREAMS_CLIENT) private readonly client: RedisStreamsClient) {}

  /** Runs after the module's providers have stopped (Nest calls the module class last), so no batch is in flight. */
  async beforeApplicationShutdown(): Promise<void> {
    await this.client.close();
  }

  configure(consumer: MiddlewareConsumer): void {
    consumer.apply(RequestPositionsMiddleware).forRoutes('*path');
  }

  static forRoot(options: OutboxModuleOptions): DynamicModule {
    // What the app gives is checked now, against the defaults; the environment when the app is built.
    resolveOutboxOptions(options.origin, readOutboxConfig({}), options.settings);
    return {
      module: OutboxModule,
      global: true,
      imports: [ConfigModule.forFeature(outboxConfig)],
      providers: [
        {
          provide: OUTBOX_OPTIONS,
          useFactory: (config: OutboxConfig) => resolveOutboxOptions(options.origin, config, options.settings),
          inject: [outboxConfig.KEY],
        },
        {
          provide: OUTBOX_METRICS,
          useFactory: (registry?: MetricsRegistry) => OutboxMetrics.for(registry?.registry),
          inject: [OPTIONAL_METRICS],
        },
        {
          provide: OUTBOX_STREAMS_CLIENT,
          useFactory: (resolved: OutboxOptions, registry?: MetricsRegistry) =>
            new RedisStreamsClient({
              origin: resolved.origin,
              url: resolved.redisUrl,
              prefix: resolved.redisPrefix,
              metrics: registry?.registry,
            }),
          inject: [OUTBOX_OPTIONS, OPTIONAL_METRICS],
        },
        { provide: OUTBOX_PUBLISHER, useExisting: OUTBOX_STREAMS_CLIENT },
        OutboxCommitListener,
        Outbox,
        Inbox,
        OutboxRelay,
        OutboxPurger,
        OutboxResender,
        HealthIndicatorService,
        OutboxHealthIndicator,
        AppliedPositions,
        { provide: CONSISTENCY_CLOCK, useValue: systemClock },
        { provide: APPLIED_AGGREGATE_TYPES, useValue: options.appliedAggregateTypes ?? null },
        PositionsGate,
        { provide: APP_INTERCEPTOR, useClass: AwaitPositionsInterceptor },
        { provide: IDEMPOTENCY_POSITIONS, useClass: OutboxIdempotencyPositions },
      ],
      exports: [
        OUTBOX_OPTIONS,
        OUTBOX_METRICS,
        OUTBOX_STREAMS_CLIENT,
        OUTBOX_PUBLISHER,
        Outbox,
        Inbox,
        OutboxRelay,
        OutboxPurger,
        OutboxResender,
        OutboxHealthIndicator,
        PositionsGate,
        IDEMPOTENCY_POSITIONS,
      ],
    };
  }
}

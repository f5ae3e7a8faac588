import {
  type BeforeApplicationShutdown,
  type DynamicModule,
  Global,
  Inject,
  Module,
  type OnApplicationBootstrap,
  type Type,
} from '@nestjs/common';
import { ConfigModule } from '@nestjs/config';
import { EventBus } from '@nestjs/cqrs';
import { HealthIndicatorService } from '@nestjs/terminus';
import type { EntityManager } from 'typeorm';
import { UnitOfWork } from '@app/database';
import { MetricsRegistry } from '@app/service-defaults';
import type { AnySaga } from './define-saga';
import { SagaEndedEvent } from './saga-ended.event';
import { SagaRunner } from './saga-runner';
import type { SagaView } from './saga-rows';
import { RedisStreamsSagaTransport } from './saga-transport';
import { type SagasConfig, sagasConfig } from './sagas.config';
import { SagasHealthIndicator } from './sagas.health';
import { SAGAS_STUCK_AFTER_MS, SAGA_RUNNER } from './tokens';

const SAGA_TRANSPORT = Symbol('SAGA_TRANSPORT');
const SAGA_END = Symbol('SAGA_END');

/** What a service does, in the same transaction, when one of its saga instances ends. */
export interface SagaEndHandler {
  onEnd(view: SagaView, manager: EntityManager): Promise<void>;
}

export interface SagasModuleOptions {
  /** This service's name: the `origin` of its sagas' commands. */
  readonly origin: string;
  readonly sagas: readonly AnySaga[];
  /** A provider of this module (its dependencies come from global modules) whose `onEnd` records each end. */
  readonly onEnd?: Type<SagaEndHandler>;
  /** Settings that win over the `sagas` configuration area (tests). */
  readonly settings?: Partial<Pick<SagasConfig, 'leaseMs' | 'pollIntervalMs' | 'stuckAfterMs'>>;
}

const OPTIONAL_METRICS = { token: MetricsRegistry, optional: true };

/**
 * A service's sagas (global): a `SagaRunner` (`SAGA_RUNNER`) over the app's `UnitOfWork`
 * (`DatabaseModule`, with `SAGAS_SCHEMA` merged into its schema), sending commands over Redis
 * streams, with its metrics in the app's `MetricsRegistry` when there is one, and
 * `SagasHealthIndicator` for readiness, and each end published as `SagaEndedEvent` on the app's
 * `EventBus` when it has `CqrsModule`. The runner starts looking for due instances on bootstrap
 * and stops on shutdown, after which its clients close.
 *
 * @example
 * imports: [DatabaseModule.forRoot({ processName, ...schema }), SagasModule.forRoot({ origin: 'orders', sagas: [PLACE_ORDER], onEnd: OrderEnds })]
 */
@Global()
@Module({})
export class SagasModule implements OnApplicationBootstrap, BeforeApplicationShutdown {
  constructor(
    @Inject(SAGA_RUNNER) private readonly runner: SagaRunner,
    @Inject(SAGA_TRANSPORT) private readonly transport: RedisStreamsSagaTransport,
  ) {}

  onApplicationBootstrap(): void {
    this.runner.start();
  }

  async beforeApplicationShutdown(): Promise<void> {
    await this.runner.close();
    await this.transport.close();
  }

  static forRoot(options: SagasModuleOptions): DynamicModule {
    const settings = (config: SagasConfig): SagasConfig => ({ ...config, ...options.settings });
    return {
      module: SagasModule,
      global: true,
      imports: [ConfigModule.forFeature(sagasConfig)],
      providers: [
        ...(options.onEnd ? [options.onEnd, { provide: SAGA_END, useExisting: options.onEnd }] : []),
        {
          provide: SAGA_TRANSPORT,
          useFactory: (config: SagasConfig) =>
            new RedisStreamsSagaTransport({ origin: options.origin, url: config.redisUrl, prefix: config.redisPrefix }),
          inject: [sagasConfig.KEY],
        },
        {
          provide: SAGA_RUNNER,
          useFactory: (
            config: SagasConfig,
            unitOfWork: UnitOfWork,
            transport: RedisStreamsSagaTransport,
            registry?: MetricsRegistry,
            end?: SagaEndHandler,
            events?: EventBus,
          ) => {
            const resolved = settings(config);
            return new SagaRunner({
              unitOfWork,
              transport,
              origin: options.origin,
              sagas: options.sagas,
              leaseMs: resolved.leaseMs,
              pollIntervalMs: resolved.pollIntervalMs,
              metrics: registry?.registry,
              onEnd: end ? (view, manager) => end.onEnd(view, manager) : undefined,
              ended: events ? (view) => events.publish(new SagaEndedEvent(view)) : undefined,
            });
          },
          inject: [
            sagasConfig.KEY,
            UnitOfWork,
            SAGA_TRANSPORT,
            OPTIONAL_METRICS,
            { token: SAGA_END, optional: true },
            { token: EventBus, optional: true },
          ],
        },
        HealthIndicatorService,
        {
          provide: SAGAS_STUCK_AFTER_MS,
          useFactory: (config: SagasConfig) => settings(config).stuckAfterMs,
          inject: [sagasConfig.KEY],
        },
        SagasHealthIndicator,
      ],
      exports: [SAGA_RUNNER, SAGAS_STUCK_AFTER_MS, SagasHealthIndicator],
    };
  }
}

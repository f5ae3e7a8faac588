import { DynamicModule, Global, Module, type Type } from '@nestjs/common';
import { ConfigModule } from '@nestjs/config';
import { DiscoveryModule } from '@nestjs/core';
import { CqrsModule } from '@nestjs/cqrs';
import { OutboxModule } from '@app/outbox';
import { consumedBindings } from './event-contracts';
import { EventsServer } from './events-server';
import { HandlerRegistry } from './handler-registry';
import { InboundEvents } from './inbound-events';
import { createInboundController } from './inbound.controller';
import { RESEND_REQUESTED } from './resend/resend-request.message';
import type { IntegrationEventType } from './integration-event-class';
import { IntegrationEvents } from './integration-events';
import { integrationEventsConfig } from './integration-events.config';
import { ParkedEventsWatcher } from './parking/parked-events.watcher';
import { ResendRequests } from './resend/resend-requests';
import { SNAPSHOT_SOURCES, type SnapshotSource } from './resend/snapshot-source';
import { CONSUMED_EVENTS, EVENTS_ORIGIN } from './tokens';

export interface IntegrationEventsModuleOptions {
  /** This service's name: the `origin` of its events and its consumer group on other services' streams. */
  readonly origin: string;
  /** The integration event classes this service applies when other services publish them. */
  readonly consumes?: readonly IntegrationEventType[];
  /**
   * Providers that snapshot an aggregate this service owns, for consumers whose gap reaches
   * back past the outbox's retention (see {@link SnapshotSource}).
   */
  readonly snapshotSources?: readonly Type<SnapshotSource>[];
}

/**
 * Connects `@nestjs/cqrs` to the Redis streams transport through the outbox and inbox
 * (see the README). Import it once in the root module, after `DatabaseModule` and
 * `CqrsModule.forRoot()`, and call {@link connectIntegrationEvents} on the app.
 */
@Global()
@Module({})
export class IntegrationEventsModule {
  static forRoot(options: IntegrationEventsModuleOptions): DynamicModule {
    const consumes = options.consumes ?? [];
    // Fails at start-up on a class not made by integrationEventClass, or a pattern without a contract.
    const bindings = consumedBindings(consumes);
    const patterns = [...bindings.keys(), RESEND_REQUESTED];
    // A request awaiting positions waits only for aggregates this service applies.
    const appliedAggregateTypes = [...new Set([...bindings.values()].map((b) => b.definition.aggregateType))];
    const sources = options.snapshotSources ?? [];
    // Exported too: the readiness check (built by ServiceDefaultsModule) reads it.
    const config = ConfigModule.forFeature(integrationEventsConfig);
    return {
      module: IntegrationEventsModule,
      global: true,
      imports: [
        config,
        CqrsModule,
        DiscoveryModule,
        OutboxModule.forRoot({ origin: options.origin, appliedAggregateTypes }),
      ],
      controllers: [createInboundController(patterns)],
      providers: [
        { provide: EVENTS_ORIGIN, useValue: options.origin },
        { provide: CONSUMED_EVENTS, useValue: consumes },
        EventsServer,
        HandlerRegistry,
        InboundEvents,
        IntegrationEvents,
        ResendRequests,
        ParkedEventsWatcher,
        ...sources,
        {
          provide: SNAPSHOT_SOURCES,
          useFactory: (...instances: SnapshotSource[]) => instances,
          inject: [...sources],
        },
      ],
      exports: [
        IntegrationEvents,
        InboundEvents,
        EventsServer,
        ParkedEventsWatcher,
        EVENTS_ORIGIN,
        OutboxModule,
        config,
      ],
    };
  }
}

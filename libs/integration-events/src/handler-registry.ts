import { Inject, Injectable, OnApplicationBootstrap } from '@nestjs/common';
import { DiscoveryService } from '@nestjs/core';
import { IntegrationEventsError } from './errors';
import { type IntegrationEventsHandler, eventsHandledBy } from './integration-events-handler.decorator';
import type { IntegrationEventType } from './integration-event-class';
import { CONSUMED_EVENTS } from './tokens';

/** The `@ApplyIntegrationEvents` providers of the app, by the event class they handle. */
@Injectable()
export class HandlerRegistry implements OnApplicationBootstrap {
  private readonly handlers = new Map<IntegrationEventType, IntegrationEventsHandler[]>();

  constructor(
    private readonly discovery: DiscoveryService,
    @Inject(CONSUMED_EVENTS) private readonly consumed: readonly IntegrationEventType[],
  ) {}

  onApplicationBootstrap(): void {
    this.handlers.clear();
    for (const wrapper of this.discovery.getProviders()) {
      const { instance, metatype } = wrapper;
      if (!instance || !metatype) continue;
      for (const eventClass of eventsHandledBy(metatype)) {
        if (!this.consumed.includes(eventClass)) {
          throw new IntegrationEventsError(
            'INTEGRATION_EVENT_HANDLER_MISSING',
            `${metatype.name} handles ${eventClass.name}, which IntegrationEventsModule.forRoot({ consumes }) does not list.`,
          );
        }
        const list = this.handlers.get(eventClass) ?? [];
        list.push(instance as IntegrationEventsHandler);
        this.handlers.set(eventClass, list);
      }
    }
  }

  /** The handlers of an event class, in the order the app declares them. */
  handlersOf(eventClass: IntegrationEventType): readonly IntegrationEventsHandler[] {
    return this.handlers.get(eventClass) ?? [];
  }
}

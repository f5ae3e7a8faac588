import { Controller, Type } from '@nestjs/common';
import { Ctx, EventPattern, Payload } from '@nestjs/microservices';
import type { RedisStreamsContext } from '@app/redis-streams';
import { InboundEvents } from './inbound-events';

/**
 * A controller with one `@EventPattern` handler per consumed pattern, all handing the
 * message to {@link InboundEvents}. Built per app, since the patterns are the app's choice.
 */
export function createInboundController(patterns: readonly string[]): Type<unknown> {
  @Controller()
  class IntegrationEventsController {
    constructor(readonly inbound: InboundEvents) {}
  }
  for (const pattern of patterns) {
    const method = `receive ${pattern}`;
    const descriptor: PropertyDescriptor = {
      value(this: IntegrationEventsController, data: unknown, context: RedisStreamsContext) {
        return this.inbound.receive(pattern, data, context);
      },
      writable: true,
      configurable: true,
    };
    Object.defineProperty(IntegrationEventsController.prototype, method, descriptor);
    Payload()(IntegrationEventsController.prototype, method, 0);
    Ctx()(IntegrationEventsController.prototype, method, 1);
    EventPattern<string>(pattern)(IntegrationEventsController.prototype, method, descriptor);
  }
  return IntegrationEventsController;
}

import 'reflect-metadata';
import { IntegrationEventsError } from './errors';

const PATTERN = Symbol('ficus:integration-event-pattern');

/** A class of integration event: built from the message data, which it keeps as `data`. */
export type IntegrationEventType = new (data: never) => { readonly data: object };

/** The data of an event class's instances. */
export type DataOf<C> = C extends new (data: infer D) => unknown ? D : never;

/**
 * Marks an event class as an integration event published under `pattern` (a pattern of
 * `@app/contracts`). Recorded with `IntegrationEvents.record`, it goes to the outbox in the
 * caller's transaction; arriving from another service, it is published on the local `EventBus`.
 *
 * @example
 * @IntegrationEvent('wallet.credited')
 * export class WalletCreditedEvent { constructor(readonly data: WalletCredited) {} }
 */
export function IntegrationEvent(pattern: string): ClassDecorator {
  return (target) => Reflect.defineMetadata(PATTERN, pattern, target);
}

/** The pattern `@IntegrationEvent` gave a class. */
export function patternOf(eventClass: IntegrationEventType): string {
  const pattern = Reflect.getMetadata(PATTERN, eventClass) as string | undefined;
  if (!pattern) {
    throw new IntegrationEventsError(
      'INTEGRATION_EVENT_NOT_MARKED',
      `${eventClass.name} is not marked with @IntegrationEvent(pattern).`,
    );
  }
  return pattern;
}

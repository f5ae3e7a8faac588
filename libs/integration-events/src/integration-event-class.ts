import 'reflect-metadata';
import type { EventData, EventDefinition } from '@app/contracts';
import { IntegrationEventsError } from './errors';

const PATTERN = Symbol('ficus:integration-event-pattern');

/** A class of integration event: built from the message data, which it keeps as `data`. */
export type IntegrationEventType = new (data: never) => { readonly data: object };

/** The data of an event class's instances. */
export type DataOf<C> = C extends new (data: infer D) => unknown ? D : never;

/** An integration event of the definition `D`: the message data, header included, as `data`. */
export type IntegrationEventOf<D extends EventDefinition> = { readonly data: EventData<D> };

/** The class {@link integrationEventClass} derives from the definition `D`. */
export type IntegrationEventClass<D extends EventDefinition> = new (data: EventData<D>) => IntegrationEventOf<D>;

/**
 * A derived class seen as the class of the named instance type `E`. `instanceof` narrows a
 * union of events in both branches only between types declared apart (as classes are), so
 * a class used by name gets an interface of its own: see `event-classes.ts`.
 */
export type NamedEventClass<E extends { readonly data: object }> = new (data: E['data']) => E;

const classes = new Map<EventDefinition, IntegrationEventType>();

/** `wallet.credited` → `WalletCreditedEvent`. */
function classNameOf(pattern: string): string {
  const words = pattern.split(/[._-]+/).filter(Boolean);
  return `${words.map((word) => word[0]?.toUpperCase() + word.slice(1)).join('')}Event`;
}

/**
 * The Nest event class of an integration event, derived from its definition in
 * `@app/contracts`: named after the pattern (`wallet.credited` → `WalletCreditedEvent`),
 * carrying the pattern, and holding the message data as `data`. The same definition always
 * gives the same class, so it serves everywhere a class does: `IntegrationEvents.record()`,
 * `consumes`, `@ApplyIntegrationEvents`, `@EventsHandler`, `ofType` and `instanceof`.
 *
 * @example
 * export const WalletCreditedEvent = integrationEventClass(WalletCredited);
 * export type WalletCreditedEvent = IntegrationEventOf<typeof WalletCredited>;
 *
 * @EventsHandler(WalletCreditedEvent)
 * class NotifyOnCredit implements IEventHandler<WalletCreditedEvent> { handle(event: WalletCreditedEvent) { … } }
 */
export function integrationEventClass<D extends EventDefinition>(definition: D): IntegrationEventClass<D> {
  let eventClass = classes.get(definition);
  if (!eventClass) {
    eventClass = class {
      constructor(readonly data: object) {}
    };
    // @nestjs/cqrs tells events apart by metadata on the class, not by name; the name is for people.
    Object.defineProperty(eventClass, 'name', { value: classNameOf(definition.pattern) });
    Reflect.defineMetadata(PATTERN, definition.pattern, eventClass);
    classes.set(definition, eventClass);
  }
  return eventClass as unknown as IntegrationEventClass<D>;
}

/** The pattern of an event class made by {@link integrationEventClass}. */
export function patternOf(eventClass: IntegrationEventType): string {
  const pattern = Reflect.getMetadata(PATTERN, eventClass) as string | undefined;
  if (!pattern) {
    throw new IntegrationEventsError(
      'INTEGRATION_EVENT_NOT_MARKED',
      `${eventClass.name} is not an integration event class: take it from integrationEventClass(definition).`,
    );
  }
  return pattern;
}

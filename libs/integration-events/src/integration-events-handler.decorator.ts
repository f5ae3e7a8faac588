import 'reflect-metadata';
import type { EntityManager } from 'typeorm';
import type { IntegrationEventType } from './integration-event-class';

const EVENTS = Symbol('ficus:integration-events-handler');

/**
 * Applies integration events from other services inside the transaction that records them
 * in the inbox: `handle` gets that transaction's `manager`, and a throw rolls everything
 * back and leaves the message to be delivered again.
 */
export interface IntegrationEventsHandler<E extends object = object> {
  handle(event: E, manager: EntityManager): Promise<void>;
}

/**
 * Declares a provider as the handler of integration events arriving from other services.
 * Every handler of an event runs in one transaction per message, after the inbox has
 * checked that the message is new and next in its aggregate's order.
 *
 * @example
 * @ApplyIntegrationEvents(WalletCreditedEvent, WalletDebitedEvent)
 * export class ApplyWalletChangesHandler implements IntegrationEventsHandler<WalletCreditedEvent | WalletDebitedEvent> { … }
 */
export function ApplyIntegrationEvents(...events: IntegrationEventType[]): ClassDecorator {
  return (target) => Reflect.defineMetadata(EVENTS, events, target);
}

/** The event classes a handler class was declared for (empty if none). */
export function eventsHandledBy(handlerClass: object): readonly IntegrationEventType[] {
  return (Reflect.getMetadata(EVENTS, handlerClass) as IntegrationEventType[] | undefined) ?? [];
}

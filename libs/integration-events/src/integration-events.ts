import { randomUUID } from 'node:crypto';
import { Inject, Injectable } from '@nestjs/common';
import { EventBus } from '@nestjs/cqrs';
import type { EntityManager } from 'typeorm';
import { UnitOfWork } from '@app/database';
import { Inbox, Outbox } from '@app/outbox';
import { IntegrationEventsError } from './errors';
import { bindingOf, describeIssues } from './event-contracts';
import type { DataOf, IntegrationEventType } from './integration-event-class';
import { EVENTS_ORIGIN } from './tokens';

/** The header fields the bridge fills in; a producer supplies the rest. */
type Header = 'id' | 'schemaVersion' | 'occurredAt' | 'origin' | 'aggregateId' | 'sequence';
/** What a producer supplies for an event class: its data without the header. */
export type EventBodyOf<C> = Omit<DataOf<C>, Header>;

/**
 * Records this service's integration events in the transaction of the change they
 * describe: the event gets its header (`id`, `schemaVersion`, `occurredAt`, `origin`,
 * `aggregateId`, and from the outbox its `sequence`), is checked against its contract and
 * written to the outbox. Once the transaction commits it is also published on the local
 * `EventBus`; if it rolls back, nothing is published anywhere.
 *
 * @example
 * await this.events.record(manager, WalletCreditedEvent, { customerId, amountCents, balanceCents, reason: 'deposit', orderId: null });
 */
@Injectable()
export class IntegrationEvents {
  constructor(
    @Inject(EVENTS_ORIGIN) private readonly origin: string,
    private readonly outbox: Outbox,
    private readonly inbox: Inbox,
    private readonly uow: UnitOfWork,
    private readonly eventBus: EventBus,
  ) {}

  /**
   * The `sequences` of a snapshot of an aggregate this service holds: per origin, the last of
   * its events the state reflects (the events this service applied, and its own outbox's). Read
   * it in the transaction that reads (and locks) the state.
   */
  async snapshotSequences(
    manager: EntityManager,
    aggregateType: string,
    aggregateId: string,
  ): Promise<Record<string, number>> {
    return {
      ...(await this.inbox.appliedSequences(manager, this.origin, aggregateType, aggregateId)),
      [this.origin]: await this.outbox.currentSequence(manager, aggregateType, aggregateId),
    };
  }

  async record<C extends IntegrationEventType>(
    manager: EntityManager,
    eventClass: C,
    body: EventBodyOf<C>,
    options: { occurredAt?: Date } = {},
  ): Promise<InstanceType<C>> {
    const { definition, snapshot } = bindingOf(eventClass);
    const idField = `${definition.aggregateType}Id`;
    const aggregateId = (body as Record<string, unknown>)[idField];
    if (typeof aggregateId !== 'string') {
      throw new IntegrationEventsError(
        'INTEGRATION_EVENT_INVALID',
        `${definition.pattern} needs its aggregate id in ${idField}.`,
      );
    }
    const id = randomUUID();
    const stored = await this.outbox.add(
      manager,
      {
        id,
        pattern: definition.pattern,
        aggregateType: definition.aggregateType,
        aggregateId,
        data: {
          id,
          schemaVersion: definition.schemaVersion,
          occurredAt: (options.occurredAt ?? new Date()).toISOString(),
          origin: this.origin,
          aggregateId,
          ...(body as Record<string, unknown>),
        },
      },
      {
        sequenced: !snapshot,
        validate: (data) => {
          const result = definition.schema.safeParse(data);
          if (!result.success) {
            throw new IntegrationEventsError(
              'INTEGRATION_EVENT_INVALID',
              `${definition.pattern} does not match its contract: ${describeIssues(result.error.issues)}`,
            );
          }
        },
      },
    );
    const event = new eventClass(stored.data as never) as InstanceType<C>;
    this.uow.afterCommit(manager, () => this.eventBus.publish(event));
    return event;
  }
}

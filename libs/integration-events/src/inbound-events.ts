import { Inject, Injectable, Logger } from '@nestjs/common';
import { EventBus } from '@nestjs/cqrs';
import type { EntityManager } from 'typeorm';
import { UnitOfWork } from '@app/database';
import { Inbox, type InboxOutcome } from '@app/outbox';
import { StreamsError, type RedisStreamsContext } from '@app/redis-streams';
import { type EventBinding, consumedBindings, describeIssues } from './event-contracts';
import { HandlerRegistry } from './handler-registry';
import type { IntegrationEventType } from './integration-event.decorator';
import { CONSUMED_EVENTS, EVENTS_ORIGIN } from './tokens';

interface Header {
  readonly id: string;
  readonly origin: string;
  readonly aggregateId: string;
  readonly sequence?: number;
  readonly sequences?: Readonly<Record<string, number>>;
}

/**
 * Takes integration events from other services off the transport: checks them against
 * their contract, skips this service's own, and runs the app's handlers in one transaction
 * with the inbox, which applies each message once and each origin's events of an aggregate
 * in order. After the commit the event is published on the local `EventBus`, for
 * `@EventsHandler`s and `@Saga()`s. A failure is logged with the message id and thrown, so
 * the transport delivers the message again (and dead-letters it in the end).
 */
@Injectable()
export class InboundEvents {
  private readonly logger = new Logger(InboundEvents.name);
  private readonly bindings: ReadonlyMap<string, EventBinding>;

  constructor(
    @Inject(EVENTS_ORIGIN) private readonly origin: string,
    @Inject(CONSUMED_EVENTS) consumed: readonly IntegrationEventType[],
    private readonly registry: HandlerRegistry,
    private readonly inbox: Inbox,
    private readonly uow: UnitOfWork,
    private readonly eventBus: EventBus,
  ) {
    this.bindings = consumedBindings(consumed);
  }

  /** The patterns this service reads: those it consumes, and the other events of their aggregates. */
  get patterns(): string[] {
    return [...this.bindings.keys()];
  }

  /** Handles one message's data; resolves once it is applied (or known to be a duplicate or this service's own). */
  async receive(pattern: string, data: unknown, context?: RedisStreamsContext): Promise<void> {
    const binding = this.bindings.get(pattern);
    if (!binding) throw new StreamsError('STREAMS_NO_HANDLER', `${this.origin} does not consume ${pattern}`);
    const parsed = binding.definition.schema.safeParse(data);
    if (!parsed.success) {
      throw new StreamsError(
        'STREAMS_INVALID_MESSAGE',
        `data of ${pattern} is invalid: ${describeIssues(parsed.error.issues)}`,
      );
    }
    const header = parsed.data as Header;
    if (header.origin === this.origin) return;
    const event = binding.eventClass ? (new binding.eventClass(parsed.data as never) as object) : undefined;
    let outcome: InboxOutcome<void>;
    try {
      outcome = await this.uow.transaction((manager) => this.applyOnce(binding, header, event, manager));
    } catch (error) {
      this.logger.warn(
        {
          messageId: header.id,
          pattern,
          origin: header.origin,
          aggregateId: header.aggregateId,
          delivery: context?.getDeliveryCount(),
          err: error,
        },
        `Applying ${pattern} ${header.id} failed; it will be delivered again`,
      );
      throw error;
    }
    if (outcome.applied && event) this.eventBus.publish(event);
  }

  private applyOnce(
    binding: EventBinding,
    header: Header,
    event: object | undefined,
    manager: EntityManager,
  ): Promise<InboxOutcome<void>> {
    const run = async () => {
      if (!binding.eventClass || !event) return;
      for (const handler of this.registry.handlersOf(binding.eventClass)) await handler.handle(event, manager);
    };
    const aggregateType = binding.definition.aggregateType;
    if (binding.snapshot) {
      return this.inbox.applySnapshot(
        manager,
        { id: header.id, aggregateType, aggregateId: header.aggregateId, sequences: header.sequences ?? {} },
        this.origin,
        run,
      );
    }
    return this.inbox.apply(
      manager,
      {
        id: header.id,
        origin: header.origin,
        aggregateType,
        aggregateId: header.aggregateId,
        sequence: header.sequence ?? 0,
      },
      this.origin,
      run,
    );
  }
}

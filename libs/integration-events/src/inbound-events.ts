import { Inject, Injectable, Logger } from '@nestjs/common';
import { EventBus } from '@nestjs/cqrs';
import type { EntityManager } from 'typeorm';
import { UnitOfWork } from '@app/database';
import { Inbox, type InboxOutcome, type InboxSequenceKey, type ParkedMessage } from '@app/outbox';
import { StreamsError, type RedisStreamsContext } from '@app/redis-streams';
import { type EventBinding, consumedBindings, describeIssues } from './event-contracts';
import { HandlerRegistry } from './handler-registry';
import type { IntegrationEventType } from './integration-event-class';
import { RESEND_REQUESTED } from './resend/resend-request.message';
import { ResendRequests } from './resend/resend-requests';
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
 * in order. An event that comes before its predecessor is parked in the database (and the
 * transport acknowledges it); once the predecessor is applied, the parked events that follow
 * it are applied in the same transaction. After the commit each applied event is published
 * on the local `EventBus`, for `@EventsHandler`s and `@Saga()`s. A failure is logged with the
 * message id and thrown, so the transport delivers the message again (and dead-letters it in
 * the end).
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
    private readonly resends: ResendRequests,
  ) {
    this.bindings = consumedBindings(consumed);
  }

  /** The patterns this service reads: those it consumes, and the other events of their aggregates. */
  get patterns(): string[] {
    return [...this.bindings.keys()];
  }

  /** Handles one message's data; resolves once it is applied (or parked, or known to be a duplicate or this service's own). */
  async receive(pattern: string, data: unknown, context?: RedisStreamsContext): Promise<void> {
    if (pattern === RESEND_REQUESTED) return this.resends.receive(data);
    const binding = this.bindings.get(pattern);
    if (!binding) throw new StreamsError('STREAMS_NO_HANDLER', `${this.origin} does not consume ${pattern}`);
    const header = this.parse(binding, pattern, data);
    if (header.origin === this.origin) return;
    let applied: object[] = [];
    try {
      await this.uow.transaction(async (manager) => {
        applied = [];
        const outcome = await this.applyOnce(binding, pattern, header, data, manager, applied);
        if (outcome.applied && !binding.snapshot) {
          await this.applyParked(manager, this.keyOf(binding, header), header.sequence ?? 0, applied);
        }
      });
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
    for (const event of applied) this.eventBus.publish(event);
  }

  /**
   * Applies a parked message whose predecessor has been applied meanwhile (by a snapshot, or
   * another instance), with the parked messages that follow it; drops it if it is covered.
   */
  async applyReady(message: ParkedMessage): Promise<void> {
    const key: InboxSequenceKey = message;
    let applied: object[] = [];
    await this.uow.transaction(async (manager) => {
      applied = [];
      await this.applyParked(manager, key, await this.inbox.lockApplied(manager, key), applied);
    });
    for (const event of applied) this.eventBus.publish(event);
  }

  /** Applies the parked messages that follow `last`, one after another, in the caller's transaction. */
  private async applyParked(
    manager: EntityManager,
    key: InboxSequenceKey,
    last: number,
    applied: object[],
  ): Promise<void> {
    for (;;) {
      const next = await this.inbox.takeParked(manager, key, last);
      if (!next) return;
      const binding = this.bindings.get(next.pattern);
      if (!binding) {
        // Parked by a version that consumed it; this one does not, so it has nothing to apply.
        this.logger.error(
          { messageId: next.messageId, pattern: next.pattern },
          `${next.pattern} is no longer consumed`,
        );
        return;
      }
      const header = this.parse(binding, next.pattern, next.data);
      const outcome = await this.applyOnce(binding, next.pattern, header, next.data, manager, applied);
      if (!outcome.applied) return;
      last = next.sequence;
    }
  }

  private parse(binding: EventBinding, pattern: string, data: unknown): Header {
    const parsed = binding.definition.schema.safeParse(data);
    if (!parsed.success) {
      throw new StreamsError(
        'STREAMS_INVALID_MESSAGE',
        `data of ${pattern} is invalid: ${describeIssues(parsed.error.issues)}`,
      );
    }
    return parsed.data as Header;
  }

  private keyOf(binding: EventBinding, header: Header): InboxSequenceKey {
    return {
      consumer: this.origin,
      aggregateType: binding.definition.aggregateType,
      aggregateId: header.aggregateId,
      origin: header.origin,
    };
  }

  /** Runs the handlers with the inbox (`data` as received, `header` as parsed); an applied event goes into `applied`. */
  private async applyOnce(
    binding: EventBinding,
    pattern: string,
    header: Header,
    data: unknown,
    manager: EntityManager,
    applied: object[],
  ): Promise<InboxOutcome<void>> {
    const event = binding.eventClass ? (new binding.eventClass(header as never) as object) : undefined;
    const run = async () => {
      if (!binding.eventClass || !event) return;
      for (const handler of this.registry.handlersOf(binding.eventClass)) await handler.handle(event, manager);
    };
    const aggregateType = binding.definition.aggregateType;
    const outcome = binding.snapshot
      ? await this.inbox.applySnapshot(
          manager,
          {
            id: header.id,
            aggregateType,
            aggregateId: header.aggregateId,
            sequences: header.sequences ?? {},
            ...(binding.definition.scope === 'origin' && { partOf: header.origin }),
          },
          this.origin,
          run,
        )
      : await this.inbox.apply(
          manager,
          {
            id: header.id,
            origin: header.origin,
            aggregateType,
            aggregateId: header.aggregateId,
            sequence: header.sequence ?? 0,
            payload: { pattern, data },
          },
          this.origin,
          run,
        );
    if (outcome.applied && event) applied.push(event);
    return outcome;
  }
}

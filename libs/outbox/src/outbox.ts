import { Inject, Injectable, OnModuleDestroy, OnModuleInit } from '@nestjs/common';
import type { EntityManager } from 'typeorm';
import { UnitOfWork } from '@app/database';
import { createEnvelope, currentReplyHeaders } from '@app/redis-streams';
import { addReplyPosition } from './consistency/reply-positions';
import { currentRequestPositions } from './consistency/request-positions';
import { OutboxError } from './errors';
import { type AddOptions, type AddedEvent, type NewOutboxEvent, checkNewEvent } from './outbox-event';
import { OutboxCommitListener } from './outbox-commit.listener';
import type { OutboxOptions } from './outbox-settings';
import type { Backlog, OutboxMetrics } from './outbox.metrics';
import { currentOutboxSequence, nextOutboxSequence, releaseOutboxSequence } from './outbox-sequence-rows';
import { parkedSummary } from './parking/parked-rows';
import { activeTransaction, execute, select } from './sql';
import { OUTBOX_METRICS, OUTBOX_OPTIONS } from './tokens';

/**
 * Stores integration events in the transaction of the change they describe; the relay
 * publishes them once that transaction has committed.
 *
 * @example
 * await uow.transaction(async (manager) => {
 *   await manager.save(wallet);
 *   await outbox.add(manager, {
 *     id: randomUUID(), pattern: 'wallet.credited', aggregateType: 'customer', aggregateId: wallet.customerId,
 *     data: { customerId: wallet.customerId, amountCents: 500 },
 *   });
 * });
 */
@Injectable()
export class Outbox implements OnModuleInit, OnModuleDestroy {
  private unwatch?: () => void;

  constructor(
    @Inject(OUTBOX_OPTIONS) private readonly options: OutboxOptions,
    @Inject(OUTBOX_METRICS) private readonly metrics: OutboxMetrics,
    private readonly uow: UnitOfWork,
    private readonly commits: OutboxCommitListener,
  ) {}

  onModuleInit(): void {
    this.unwatch = this.metrics.watchBacklog(() => this.backlog());
  }

  onModuleDestroy(): void {
    this.unwatch?.();
  }

  /**
   * Inside the caller's transaction: numbers the event within its aggregate (unless
   * `sequenced: false`), validates it and stores it with the envelope metadata of this
   * moment (the trace and correlation of the message being handled, if any). Published
   * after commit; nothing is published if the transaction rolls back. Within an HTTP request, a
   * sequenced event's position goes into the response's `x-ficus-positions` once it commits.
   */
  async add(manager: EntityManager, event: NewOutboxEvent, options: AddOptions = {}): Promise<AddedEvent> {
    const queryRunner = activeTransaction(manager);
    if (!queryRunner) {
      throw new OutboxError(
        'OUTBOX_NOT_IN_TRANSACTION',
        'Outbox.add() needs the manager of a running transaction (UnitOfWork.transaction).',
      );
    }
    checkNewEvent(event);
    const { origin } = this.options;
    const sequenced = options.sequenced ?? true;
    const sequence = sequenced
      ? await nextOutboxSequence(manager, origin, event.aggregateType, event.aggregateId)
      : null;
    let data: Record<string, unknown>;
    let json: string;
    try {
      data = sequenced ? { ...event.data, sequence } : { ...event.data };
      options.validate?.(data);
      json = JSON.stringify(data);
    } catch (error) {
      // Should the caller catch this and commit anyway, the aggregate's numbers must stay gapless.
      if (sequenced) await releaseOutboxSequence(manager, origin, event.aggregateType, event.aggregateId);
      throw error;
    }
    const now = new Date();
    const envelope = createEnvelope(event.pattern, data, origin, { id: event.id, now });
    await execute(
      manager,
      `INSERT INTO outbox_events (id, pattern, aggregate_type, aggregate_id, sequence, data, meta, created_at, attempts)
       VALUES (?, ?, ?, ?, ?, ?, ?, ?, 0)`,
      [
        event.id,
        event.pattern,
        event.aggregateType,
        event.aggregateId,
        sequence,
        json,
        JSON.stringify(envelope.meta),
        now.toISOString(),
      ],
    );
    this.commits.track(queryRunner);
    if (sequence !== null) {
      const position = { origin, aggregateType: event.aggregateType, aggregateId: event.aggregateId, sequence };
      this.commits.number(queryRunner, position);
      // The store of the request this runs for (taken now: a commit may be heard in another context).
      const positions = currentRequestPositions();
      if (positions) this.commits.afterCommit(queryRunner, () => positions.add(position));
      // And of the streams request (a saga's command), whose reply reports it the same way.
      const reply = currentReplyHeaders();
      if (reply) this.commits.afterCommit(queryRunner, () => addReplyPosition(reply, position));
    }
    return { id: event.id, sequence, data };
  }

  /** This origin's last sequence number of an aggregate (0 if none). */
  currentSequence(manager: EntityManager, aggregateType: string, aggregateId: string): Promise<number> {
    return currentOutboxSequence(manager, this.options.origin, aggregateType, aggregateId);
  }

  /** Unpublished rows and parked inbox messages, each with the age of the oldest (for health, metrics and tests). */
  async backlog(): Promise<Backlog> {
    const [row, parked] = await this.uow.read(async (manager) => {
      const [unpublished] = await select(
        manager,
        'SELECT COUNT(*) AS unpublished, MIN(created_at) AS oldest FROM outbox_events WHERE published_at IS NULL',
      );
      return [unpublished, await parkedSummary(manager)] as const;
    });
    const now = Date.now();
    const age = (since: number | null) => (since === null ? null : Math.max(0, now - since));
    return {
      unpublished: Number(row?.unpublished ?? 0),
      oldestAgeMs: age(row?.oldest ? Date.parse(String(row.oldest)) : null),
      parked: parked.parked,
      oldestParkedAgeMs: age(parked.oldest?.getTime() ?? null),
    };
  }
}

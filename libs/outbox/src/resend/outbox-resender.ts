import { Inject, Injectable } from '@nestjs/common';
import type { EntityManager } from 'typeorm';
import { activeTransaction } from '../sql';
import { OutboxCommitListener } from '../outbox-commit.listener';
import { currentOutboxSequence } from '../outbox-sequence-rows';
import type { OutboxMetrics } from '../outbox.metrics';
import type { OutboxOptions } from '../outbox-settings';
import { OUTBOX_METRICS, OUTBOX_OPTIONS } from '../tokens';
import { keptFrom, republishAggregate } from './resend-rows';

/** What a consumer asks of the origin of an aggregate's events: send them again from `fromSequence` on. */
export interface ResendRequest {
  readonly aggregateType: string;
  readonly aggregateId: string;
  readonly fromSequence: number;
}

/**
 * How a resend went: the events are published again (`republished` rows), there is nothing
 * that far (`ahead`: the origin never numbered `fromSequence`), or the outbox no longer holds
 * them all (`purged`: past `OUTBOX_RETENTION_HOURS`; only a snapshot can help).
 */
export type ResendOutcome =
  | { readonly kind: 'republished'; readonly rows: number }
  | { readonly kind: 'ahead'; readonly current: number }
  | { readonly kind: 'purged'; readonly current: number };

/**
 * Answers a consumer's gap from this service's outbox: the aggregate's events from the asked
 * sequence on are marked unpublished in the caller's transaction, and the relay publishes
 * them again once it commits. Consumers drop what they already applied.
 */
@Injectable()
export class OutboxResender {
  constructor(
    @Inject(OUTBOX_OPTIONS) private readonly options: OutboxOptions,
    @Inject(OUTBOX_METRICS) private readonly metrics: OutboxMetrics,
    private readonly commits: OutboxCommitListener,
  ) {}

  async resend(manager: EntityManager, request: ResendRequest): Promise<ResendOutcome> {
    const queryRunner = activeTransaction(manager);
    if (!queryRunner) throw new Error('OutboxResender.resend() needs the manager of a running transaction');
    const { aggregateType, aggregateId, fromSequence } = request;
    const current = await currentOutboxSequence(manager, this.options.origin, aggregateType, aggregateId);
    if (current < fromSequence) return { kind: 'ahead', current };
    const kept = await keptFrom(manager, aggregateType, aggregateId, fromSequence);
    if (kept.lowest !== fromSequence || kept.count !== current - fromSequence + 1) return { kind: 'purged', current };
    const rows = await republishAggregate(manager, aggregateType, aggregateId, fromSequence);
    this.metrics.republished.inc(rows);
    this.commits.track(queryRunner);
    return { kind: 'republished', rows };
  }
}

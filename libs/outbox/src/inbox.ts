import { Inject, Injectable } from '@nestjs/common';
import type { EntityManager } from 'typeorm';
import { AppliedPositions } from './consistency/applied-positions';
import { InboxError } from './errors';
import { OutboxCommitListener } from './outbox-commit.listener';
import { type InboxOutcome, type SequencedMessage, type SnapshotMessage, sequenceProblem, text } from './inbox-message';
import type { InboxOutcomeLabel, OutboxMetrics } from './outbox.metrics';
import type { OutboxOptions } from './outbox-settings';
import {
  type InboxSequenceKey,
  inboxSequences,
  lockInboxAggregate,
  lockInboxSequence,
  readInboxSequence,
  setInboxSequence,
} from './inbox-sequence-rows';
import { lockOutboxSequence } from './outbox-sequence-rows';
import { type ParkedMessage, hasParked, parkMessage, takeParkedUpTo } from './parking/parked-rows';
import { advancedOrigins, coversKnown, originPartApplies } from './snapshot-vector';
import { activeTransaction, execute, select } from './sql';
import { OUTBOX_METRICS, OUTBOX_OPTIONS } from './tokens';

/**
 * Applies each message at most once per consumer, in the caller's transaction: the message
 * id is recorded with the work, so a redelivery is a no-op and a rollback forgets both.
 * `apply` also keeps each origin's events of an aggregate in order, and `applySnapshot`
 * applies absolute state only when it is not older than what was applied.
 */
@Injectable()
export class Inbox {
  constructor(
    @Inject(OUTBOX_OPTIONS) private readonly options: OutboxOptions,
    @Inject(OUTBOX_METRICS) private readonly metrics: OutboxMetrics,
    private readonly commits: OutboxCommitListener,
    private readonly waiters: AppliedPositions,
  ) {}

  /** Runs `fn` and records `messageId` for `consumer` in the same transaction; a second delivery is a no-op. */
  async once<T>(
    manager: EntityManager,
    messageId: string,
    consumer: string,
    fn: () => Promise<T>,
  ): Promise<InboxOutcome<T>> {
    this.check('Inbox.once()', manager, [text('messageId', 64, messageId), text('consumer', 100, consumer)]);
    if (!(await this.record(manager, consumer, messageId))) return this.skip(consumer, 'duplicate');
    return this.run(consumer, fn);
  }

  /**
   * `once()` plus per-aggregate order: for (consumer, aggregateType, aggregateId, origin) the
   * last applied sequence L is kept. `sequence <= L` is a no-op (`duplicate`); `sequence > L + 1`
   * parks the message when it comes with its `payload` (outcome `parked`: the caller takes it
   * back with `takeParked()` once L + 1 .. sequence - 1 are applied) and throws
   * `INBOX_OUT_OF_ORDER` without one (the caller's transaction rolls back; the transport
   * retries later); `sequence == L + 1` runs `fn`, records the message and sets L.
   */
  async apply<T>(
    manager: EntityManager,
    event: SequencedMessage,
    consumer: string,
    fn: () => Promise<T>,
  ): Promise<InboxOutcome<T>> {
    this.check('Inbox.apply()', manager, [
      text('id', 64, event.id),
      text('origin', 100, event.origin),
      text('aggregateType', 100, event.aggregateType),
      text('aggregateId', 200, event.aggregateId),
      sequenceProblem('sequence', event.sequence, 1),
      text('consumer', 100, consumer),
    ]);
    const now = new Date();
    const key: InboxSequenceKey = {
      consumer,
      aggregateType: event.aggregateType,
      aggregateId: event.aggregateId,
      origin: event.origin,
    };
    // The first event from an origin creates its row, which a concurrent snapshot cannot see to
    // wait for: it takes the aggregate's lock first, as snapshots do (always in that order).
    if (!(await readInboxSequence(manager, key))) {
      await lockInboxAggregate(manager, consumer, event.aggregateType, event.aggregateId, now);
    }
    const last = await lockInboxSequence(manager, key, now);
    if (event.sequence <= last) return this.skip(consumer, 'duplicate');
    if (event.sequence > last + 1 && event.payload) {
      await parkMessage(manager, { ...key, messageId: event.id, sequence: event.sequence, ...event.payload }, now);
      return this.skip(consumer, 'parked');
    }
    if (event.sequence > last + 1) {
      this.count(consumer, 'out_of_order');
      throw new InboxError(
        'INBOX_OUT_OF_ORDER',
        `${consumer} applied ${event.aggregateType} ${event.aggregateId} from ${event.origin} up to ${last}; ` +
          `event ${event.id} (sequence ${event.sequence}) waits for ${last + 1}.`,
      );
    }
    if (!(await this.record(manager, consumer, event.id, now))) return this.skip(consumer, 'duplicate');
    const outcome = await this.run(consumer, fn);
    await this.advance(manager, key, event.sequence, now);
    return outcome;
  }

  /**
   * Applies a snapshot (absolute state) whose `sequences` say which events of each origin it
   * reflects. Known = the consumer's applied sequence per origin, plus this service's own
   * origin at its outbox's current sequence. Runs `fn` only if the snapshot is at least as new
   * on every known origin (a missing one counts as 0), then moves each origin's applied
   * sequence forward to the snapshot's; otherwise a no-op (`stale`). Duplicates are no-ops.
   * A snapshot of one origin's part (`partOf`) applies only when it moves that origin forward
   * and equals the known sequence of every other origin, and advances that origin alone.
   */
  async applySnapshot<T>(
    manager: EntityManager,
    snapshot: SnapshotMessage,
    consumer: string,
    fn: () => Promise<T>,
  ): Promise<InboxOutcome<T>> {
    const sequences = snapshot.sequences ?? {};
    this.check('Inbox.applySnapshot()', manager, [
      text('id', 64, snapshot.id),
      text('aggregateType', 100, snapshot.aggregateType),
      text('aggregateId', 200, snapshot.aggregateId),
      text('consumer', 100, consumer),
      snapshot.partOf === undefined ? undefined : text('partOf', 100, snapshot.partOf),
      typeof sequences === 'object' ? undefined : 'sequences must be an object',
      ...Object.entries(sequences).flatMap(([origin, sequence]) => [
        text('an origin in sequences', 100, origin),
        sequenceProblem(`sequences.${origin}`, sequence, 0),
      ]),
    ]);
    const now = new Date();
    const own = this.options.origin;
    const { aggregateType, aggregateId } = snapshot;
    // Locked in one order (the aggregate, its origins sorted, then the own outbox row), so that
    // concurrent snapshots and events wait for each other instead of deadlocking.
    await lockInboxAggregate(manager, consumer, aggregateType, aggregateId, now);
    for (const origin of Object.keys(sequences).sort()) {
      if (origin !== own) await lockInboxSequence(manager, { consumer, aggregateType, aggregateId, origin }, now);
    }
    const applied = await inboxSequences(manager, consumer, aggregateType, aggregateId, true);
    delete applied[own];
    const known = { ...applied, [own]: await lockOutboxSequence(manager, own, aggregateType, aggregateId) };
    // A redelivery is a duplicate even once later changes made it stale (the aggregate lock keeps this race-free).
    if (await this.seen(manager, consumer, snapshot.id)) return this.skip(consumer, 'duplicate');
    const { partOf } = snapshot;
    if (partOf === undefined ? !coversKnown(sequences, known) : !originPartApplies(sequences, known, partOf)) {
      return this.skip(consumer, 'stale');
    }
    if (!(await this.record(manager, consumer, snapshot.id, now))) return this.skip(consumer, 'duplicate');
    const outcome = await this.run(consumer, fn);
    const advanced = partOf === undefined ? sequences : { [partOf]: sequences[partOf] ?? 0 };
    for (const [origin, sequence] of advancedOrigins(advanced, applied, own)) {
      await this.advance(manager, { consumer, aggregateType, aggregateId, origin }, sequence, now);
    }
    return outcome;
  }

  /**
   * In the transaction that applied `applied` of an aggregate from an origin: removes and
   * returns its parked messages up to `applied + 1`, lowest first. Those at or below `applied`
   * are covered (by a snapshot, or a resend) and need nothing more; the caller applies the
   * one at `applied + 1` with `apply()`, and asks again after it.
   */
  async takeParked(manager: EntityManager, key: InboxSequenceKey, applied: number): Promise<ParkedMessage | undefined> {
    if (!(await hasParked(manager, key))) return undefined;
    const taken = await takeParkedUpTo(manager, key, applied + 1);
    return taken.find((message) => message.sequence === applied + 1);
  }

  /** The consumer's last applied sequence of an aggregate from an origin (0 if none), locked until the transaction ends. */
  async lockApplied(manager: EntityManager, key: InboxSequenceKey): Promise<number> {
    this.check('Inbox.lockApplied()', manager, []);
    return lockInboxSequence(manager, key, new Date());
  }

  /** The consumer's applied sequence per origin for an aggregate (origins never applied are left out). */
  async appliedSequences(
    manager: EntityManager,
    consumer: string,
    aggregateType: string,
    aggregateId: string,
  ): Promise<Record<string, number>> {
    const all = await inboxSequences(manager, consumer, aggregateType, aggregateId, false);
    return Object.fromEntries(Object.entries(all).filter(([, sequence]) => sequence > 0));
  }

  /** Sets L; once the transaction commits, requests of this process awaiting it are woken. */
  private async advance(manager: EntityManager, key: InboxSequenceKey, sequence: number, now: Date): Promise<void> {
    await setInboxSequence(manager, key, sequence, now);
    const queryRunner = activeTransaction(manager);
    if (queryRunner) this.commits.afterCommit(queryRunner, () => this.waiters.notify(key, sequence));
  }

  private check(what: string, manager: EntityManager, problems: readonly (string | undefined)[]): void {
    if (!activeTransaction(manager)) {
      throw new InboxError(
        'INBOX_NOT_IN_TRANSACTION',
        `${what} needs the manager of a running transaction (UnitOfWork.transaction), so that the work and the record commit together.`,
      );
    }
    const found = problems.filter((p): p is string => p !== undefined);
    if (found.length > 0) throw new InboxError('INBOX_MESSAGE_INVALID', `${what}: ${found.join('; ')}`);
  }

  /** Records the message; false when it was recorded before (a concurrent duplicate waits for the first to end). */
  private async record(
    manager: EntityManager,
    consumer: string,
    messageId: string,
    now = new Date(),
  ): Promise<boolean> {
    const { rows } = await execute(
      manager,
      `INSERT INTO inbox_messages (consumer, message_id, processed_at) VALUES (?, ?, ?)
       ON CONFLICT (consumer, message_id) DO NOTHING RETURNING message_id`,
      [consumer, messageId, now.toISOString()],
    );
    return rows.length === 1;
  }

  private async seen(manager: EntityManager, consumer: string, messageId: string): Promise<boolean> {
    const rows = await select(manager, 'SELECT 1 AS seen FROM inbox_messages WHERE consumer = ? AND message_id = ?', [
      consumer,
      messageId,
    ]);
    return rows.length > 0;
  }

  private async run<T>(consumer: string, fn: () => Promise<T>): Promise<InboxOutcome<T>> {
    const result = await fn();
    this.count(consumer, 'applied');
    return { applied: true, result };
  }

  private skip(consumer: string, reason: 'duplicate' | 'stale' | 'parked'): InboxOutcome<never> {
    this.count(consumer, reason);
    return { applied: false, reason };
  }

  private count(consumer: string, outcome: InboxOutcomeLabel): void {
    this.metrics.inboxMessages.inc({ consumer, outcome });
  }
}

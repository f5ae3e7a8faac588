import { hostname } from 'node:os';
import { randomBytes } from 'node:crypto';
import { BeforeApplicationShutdown, Inject, Injectable, Logger, OnApplicationBootstrap } from '@nestjs/common';
import type { EntityManager } from 'typeorm';
import { DatabaseError, SerialQueue, UnitOfWork } from '@app/database';
import type { Envelope, EnvelopePublisher } from '@app/redis-streams';
import { OutboxError } from './errors';
import { OutboxCommitListener } from './outbox-commit.listener';
import type { OutboxOptions } from './outbox-settings';
import type { OutboxMetrics } from './outbox.metrics';
import { type BatchResult, publishBatch } from './relay-batch';
import { highestPublished, lostAbove, markName, republishAbove } from './redis-loss';
import { retryDelay } from './retry-delay';
import { OUTBOX_METRICS, OUTBOX_OPTIONS, OUTBOX_PUBLISHER } from './tokens';

/** When another relay holds the lock, look again this soon (it may have read before our rows committed). */
const BUSY_RETRY_MS = 100;

interface DrainResult {
  readonly published: number;
  readonly busy: boolean;
}

/**
 * Publishes committed outbox rows to Redis, oldest first, in batches: at once after a commit
 * in this process that added rows, every `pollIntervalMs` otherwise (for rows of other
 * processes, and after a failure), with exponential backoff while Redis fails. One relay
 * publishes at a time per database (a lock taken in each batch's transaction), so each row is
 * published once (at least once across crashes) and each aggregate's events in order.
 * Started on application bootstrap, stopped on shutdown.
 */
@Injectable()
export class OutboxRelay implements OnApplicationBootstrap, BeforeApplicationShutdown {
  private readonly logger = new Logger(OutboxRelay.name);
  /** This process's batches run one at a time, background or `publishNow()`. */
  private readonly passes = new SerialQueue();
  private readonly holder = `${hostname()}-${process.pid}-${randomBytes(3).toString('hex')}`;
  private readonly stopListening: () => void;
  private timer?: NodeJS.Timeout;
  private loop?: Promise<void>;
  private running = false;
  private woken = false;
  /** A pass is scheduled at once (by a commit); later commits need not schedule another. */
  private wakePending = false;
  private failures = 0;
  /** The highest seq this database has published (read once, then kept up to date here); null until read. */
  private highest: number | null = null;
  /** When Redis was last asked whether it still holds what was published (epoch ms). */
  private lossCheckedAt = 0;

  constructor(
    @Inject(OUTBOX_OPTIONS) private readonly options: OutboxOptions,
    @Inject(OUTBOX_METRICS) private readonly metrics: OutboxMetrics,
    @Inject(OUTBOX_PUBLISHER) private readonly publisher: EnvelopePublisher,
    private readonly uow: UnitOfWork,
    commits: OutboxCommitListener,
  ) {
    this.stopListening = commits.onRowsCommitted(() => this.wake());
  }

  onApplicationBootstrap(): void {
    if (this.options.startRelay) this.start();
  }

  async beforeApplicationShutdown(): Promise<void> {
    this.stopListening();
    await this.stop();
  }

  /** Whether the background loop runs. */
  get started(): boolean {
    return this.running;
  }

  /** Starts the background loop (the module does on bootstrap unless `startRelay` is false). */
  start(): void {
    if (this.running) return;
    this.running = true;
    this.failures = 0;
    this.schedule(0);
  }

  /** Stops the background loop; resolves once a batch in flight has finished. */
  async stop(): Promise<void> {
    this.running = false;
    clearTimeout(this.timer);
    this.timer = undefined;
    this.wakePending = false;
    await this.loop;
  }

  /**
   * Publishes what is unpublished now, batch after batch, and resolves with how many rows it
   * published: 0 when there was nothing, or when another relay held the lock at that moment.
   * Rejects with `OUTBOX_PUBLISH_FAILED` when Redis fails (the rows stay, with the error).
   */
  async publishNow(): Promise<number> {
    return (await this.passes.run(() => this.drain(() => true))).published;
  }

  /** A commit added rows: publish now, unless a pass is running (it goes again) or we back off. */
  private wake(): void {
    if (!this.running) return;
    if (this.loop) {
      this.woken = true;
    } else if (this.failures === 0 && !this.wakePending) {
      // A wake-up already due is not pushed back: under a steady stream of commits it would never come.
      this.wakePending = true;
      this.schedule(0);
    }
  }

  private schedule(delayMs: number): void {
    clearTimeout(this.timer);
    this.timer = setTimeout(() => this.tick(), delayMs);
    // Tools that publish and exit should not wait for the next poll.
    this.timer.unref();
  }

  private tick(): void {
    this.timer = undefined;
    this.woken = false;
    this.wakePending = false;
    this.loop = this.passes
      .run(() => this.drain(() => this.running))
      .then(
        (result) => {
          this.failures = 0;
          if (result.busy) return Math.min(BUSY_RETRY_MS, this.options.pollIntervalMs);
          return this.woken ? 0 : this.options.pollIntervalMs;
        },
        (error: unknown) => {
          this.failures++;
          const delayMs = retryDelay(this.failures, this.options.retryBaseDelayMs, this.options.retryMaxDelayMs);
          this.logger.warn(
            { err: error, failures: this.failures, retryInMs: delayMs },
            'Publishing outbox events failed; they stay in the outbox and are retried',
          );
          return delayMs;
        },
      )
      .then((delayMs) => {
        this.loop = undefined;
        if (this.running) this.schedule(delayMs);
      });
  }

  /** Batches until one is not full (or another relay holds the lock, or `go` says stop). */
  private async drain(go: () => boolean): Promise<DrainResult> {
    let published = 0;
    while (go()) {
      // Another process writing the SQLite file: try again at the next pass rather than block the thread.
      const result = await this.uow
        .transactionUnlessBusy((manager) =>
          publishBatch(manager, {
            holder: this.holder,
            batchSize: this.options.batchSize,
            beforePublish: (manager) => this.republishIfRedisLost(manager),
            publish: (envelopes, highestSeq) => this.publish(envelopes, highestSeq),
          }),
        )
        .catch((error: unknown): BatchResult => {
          if (error instanceof DatabaseError && error.code === 'DATABASE_BUSY') return { kind: 'busy' };
          throw error;
        });
      if (result.kind === 'busy') return { published, busy: true };
      if (result.kind === 'failed') {
        // Redis may have restarted: look at its mark before the next batch.
        this.lossCheckedAt = 0;
        this.metrics.publishFailures.inc();
        const reason = result.error instanceof Error ? result.error.message : String(result.error);
        throw new OutboxError(
          'OUTBOX_PUBLISH_FAILED',
          `${result.count} outbox events were not published (they stay and are retried): ${reason}`,
          { cause: result.error },
        );
      }
      published += result.count;
      if (result.count > 0) {
        this.highest = Math.max(this.highest ?? 0, result.highestSeq);
        const now = Date.now();
        this.metrics.published.inc(result.count);
        for (const createdAt of result.createdAt) {
          this.metrics.commitToStream.observe(Math.max(0, now - createdAt.getTime()) / 1_000);
        }
      }
      if (result.count < this.options.batchSize) break;
    }
    return { published, busy: false };
  }

  /**
   * Redis keeps this origin's high-water mark (the highest seq stored with a batch). A mark
   * that is gone or below what this database published means Redis lost events (it restarted
   * without its data, or with an append-only file that missed the last writes): the rows above
   * the mark are marked unpublished in the batch's transaction, and published again. Consumers
   * drop what they already applied. Looked at every `pollIntervalMs` (so a loss is repaired
   * when nothing new is published), after a failed batch, and by every publish itself (the mark
   * is only raised when Redis holds at least what this relay knows was published).
   */
  private async republishIfRedisLost(manager: EntityManager): Promise<void> {
    if (this.highest !== null && Date.now() - this.lossCheckedAt < this.options.pollIntervalMs) return;
    this.highest ??= await highestPublished(manager);
    const mark = await this.publisher.readHighWaterMark(markName(this.options.origin));
    const above = lostAbove(mark, this.highest);
    if (above !== null) {
      const count = await republishAbove(manager, above);
      this.metrics.republished.inc(count);
      this.logger.warn(
        { mark, highestPublished: this.highest, republished: count },
        `Redis no longer holds the events this outbox published above seq ${above}: publishing ${count} again`,
      );
      // Published again from there, the mark comes back to where it was.
      this.highest = above;
    }
    this.lossCheckedAt = Date.now();
  }

  /** Publishes a batch, or fails after `publishTimeoutMs`: the transaction (and the lock) must not wait forever. */
  private publish(envelopes: readonly Envelope[], highestSeq: number): Promise<unknown> {
    let timer: NodeJS.Timeout | undefined;
    const timeout = new Promise<never>((_, reject) => {
      timer = setTimeout(
        () => reject(new Error(`Redis did not store the batch within ${this.options.publishTimeoutMs} ms`)),
        this.options.publishTimeoutMs,
      );
    });
    const stored = this.publisher.publishEnvelopes(envelopes, {
      highWaterMark: { name: markName(this.options.origin), value: highestSeq, atLeast: this.highest ?? 0 },
    });
    stored.catch(() => undefined);
    return Promise.race([stored, timeout]).finally(() => clearTimeout(timer));
  }
}

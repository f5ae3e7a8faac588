import { Inject, Injectable, Logger, OnApplicationBootstrap, OnApplicationShutdown } from '@nestjs/common';
import { UnitOfWork } from '@app/database';
import type { OutboxOptions } from './outbox-settings';
import { execute } from './sql';
import { OUTBOX_OPTIONS } from './tokens';

/** What one purge deleted. */
export interface PurgeReport {
  readonly outboxEvents: number;
  readonly inboxMessages: number;
}

/**
 * Deletes published outbox rows older than `OUTBOX_RETENTION_HOURS` and inbox message rows
 * older than `INBOX_RETENTION_HOURS`, in batches of `purgeBatchSize` (one transaction each),
 * at start-up and every `OUTBOX_PURGE_INTERVAL_MS`. Unpublished rows and inbox sequence rows
 * are never deleted.
 */
@Injectable()
export class OutboxPurger implements OnApplicationBootstrap, OnApplicationShutdown {
  private readonly logger = new Logger(OutboxPurger.name);
  private timer?: NodeJS.Timeout;
  private running?: Promise<unknown>;

  constructor(
    @Inject(OUTBOX_OPTIONS) private readonly options: OutboxOptions,
    private readonly uow: UnitOfWork,
  ) {}

  onApplicationBootstrap(): void {
    if (!this.options.startPurger) return;
    this.timer = setInterval(() => this.purgeSafely(), this.options.purgeIntervalMs).unref();
    this.purgeSafely();
  }

  async onApplicationShutdown(): Promise<void> {
    clearInterval(this.timer);
    await this.running;
  }

  /** Deletes what is past its retention at `now`; returns how many rows of each kind. */
  async purge(now = new Date()): Promise<PurgeReport> {
    const outboxCutoff = new Date(now.getTime() - this.options.outboxRetentionMs).toISOString();
    const inboxCutoff = new Date(now.getTime() - this.options.inboxRetentionMs).toISOString();
    const outboxEvents = await this.inBatches(
      `DELETE FROM outbox_events WHERE seq IN (
         SELECT seq FROM outbox_events WHERE published_at IS NOT NULL AND published_at < ? ORDER BY seq LIMIT ?)`,
      outboxCutoff,
    );
    const inboxMessages = await this.inBatches(
      `DELETE FROM inbox_messages WHERE (consumer, message_id) IN (
         SELECT consumer, message_id FROM inbox_messages WHERE processed_at < ? LIMIT ?)`,
      inboxCutoff,
    );
    return { outboxEvents, inboxMessages };
  }

  private async inBatches(statement: string, cutoff: string): Promise<number> {
    const size = this.options.purgeBatchSize;
    let total = 0;
    for (;;) {
      const { affected } = await this.uow.transaction((manager) => execute(manager, statement, [cutoff, size]));
      total += affected;
      if (affected < size) return total;
    }
  }

  private purgeSafely(): void {
    if (this.running) return;
    this.running = this.purge()
      .then(
        (report) => {
          if (report.outboxEvents + report.inboxMessages > 0)
            this.logger.log(report, 'Old outbox and inbox rows purged');
        },
        (error: unknown) => this.logger.warn({ err: error }, 'Purging outbox and inbox rows failed; will retry'),
      )
      .finally(() => {
        this.running = undefined;
      });
  }
}

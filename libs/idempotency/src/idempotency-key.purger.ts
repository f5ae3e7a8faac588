import { Inject, Injectable, Logger, OnApplicationBootstrap, OnApplicationShutdown } from '@nestjs/common';
import { UnitOfWork } from '@app/database';
import { IdempotencyConfig, idempotencyConfig } from './idempotency.config';
import { IdempotencyKeyEntity } from './idempotency-key.entity';

const PURGE_INTERVAL_MS = 3_600_000;

/** Deletes keys older than `IDEMPOTENCY_TTL_HOURS`, at start-up and every hour. */
@Injectable()
export class IdempotencyKeyPurger implements OnApplicationBootstrap, OnApplicationShutdown {
  private readonly logger = new Logger('IdempotencyKeyPurger');
  private timer: NodeJS.Timeout | undefined;

  constructor(
    private readonly uow: UnitOfWork,
    @Inject(idempotencyConfig.KEY) private readonly config: IdempotencyConfig,
  ) {}

  onApplicationBootstrap(): void {
    this.timer = setInterval(() => void this.purgeSafely(), PURGE_INTERVAL_MS).unref();
    void this.purgeSafely();
  }

  onApplicationShutdown(): void {
    clearInterval(this.timer);
  }

  /** Deletes expired keys; returns how many. */
  async purge(now = new Date()): Promise<number> {
    const cutoff = new Date(now.getTime() - this.config.ttlMs).toISOString();
    const result = await this.uow.transaction((manager) =>
      manager
        .createQueryBuilder()
        .delete()
        .from(IdempotencyKeyEntity)
        .where('created_at < :cutoff', { cutoff })
        .execute(),
    );
    return result.affected ?? 0;
  }

  private async purgeSafely(): Promise<void> {
    try {
      const purged = await this.purge();
      if (purged > 0) this.logger.log({ purged }, 'Expired idempotency keys purged');
    } catch (error) {
      this.logger.warn({ err: error }, 'Purging idempotency keys failed; will retry');
    }
  }
}

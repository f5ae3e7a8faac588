import { Outbox, OutboxRelay } from '@app/outbox';
import { createCommandContext, runMain } from '@app/service-defaults';
import { LegacyAppModule } from '../legacy-app.module';
import { BackfillService } from './backfill.service';

/** How long the command waits for Redis to take the snapshots before it gives up (they stay in the outbox). */
const PUBLISH_WAIT_MS = 60_000;

/**
 * `npm run backfill:legacy`: writes a snapshot of every customer and product to the
 * monolith's outbox (`DATABASE_URL`) and publishes them to Redis (`REDIS_URL`), then exits.
 */
runMain(
  async (logger) => {
    const app = await createCommandContext(LegacyAppModule, logger);
    try {
      const report = await app.get(BackfillService).run();
      const relay = app.get(OutboxRelay);
      const outbox = app.get(Outbox);
      const deadline = Date.now() + PUBLISH_WAIT_MS;
      while ((await outbox.backlog()).unpublished > 0) {
        if (Date.now() > deadline) {
          throw new Error(
            `The snapshots are in the outbox but Redis did not take them within ${PUBLISH_WAIT_MS / 1000} s; the monolith's relay publishes them once it can`,
          );
        }
        // Redis may be away for a moment: the relay reports it, and the loop tries again until the deadline.
        const published = await relay.publishNow().catch(() => 0);
        if (published === 0) await new Promise((resolve) => setTimeout(resolve, 500));
      }
      logger.log(report, `Published ${report.customers} customer and ${report.products} product snapshots`, 'Backfill');
    } finally {
      await app.close();
    }
  },
  { processName: 'legacy-backfill' },
);

import { Inject, Injectable } from '@nestjs/common';
import { UnitOfWork } from '@app/database';
import { StreamKeys, connectOrFail, createRedisConnection, isClusterUrl } from '@app/redis-streams';
import { CATALOG_PROCESS_NAME } from '../catalog-process';
import { CATALOG_CONSUMED_EVENTS } from '../consumed-events';
import { assertNoRunningConsumer, type RewoundGroup, rewindGroup } from './consumer-groups';
import { type BackfillCounts, LegacyAdminClient } from './legacy-admin.client';
import { type DeletedRows, resetReadModel } from './read-model-reset';
import { type RebuildConfig, rebuildConfig } from './rebuild.config';
import { patternsReadBy } from './streams-read';

/** What a rebuild did. */
export interface RebuildReport {
  readonly legacyUrl: string;
  readonly deleted: DeletedRows;
  readonly groups: readonly RewoundGroup[];
  readonly backfill: BackfillCounts;
}

/**
 * Rebuilds the catalog's read model from nothing, with the catalog stopped: checks that the
 * monolith answers (before changing anything) and that no catalog instance reads the streams,
 * empties the read model and the catalog's inbox state, moves the `catalog` consumer group of
 * every stream it reads back to the start, and asks the monolith for a backfill. The next
 * catalog start applies the streams' events and the snapshots again.
 */
@Injectable()
export class CatalogRebuild {
  constructor(
    @Inject(rebuildConfig.KEY) private readonly config: RebuildConfig,
    private readonly uow: UnitOfWork,
  ) {}

  async run(): Promise<RebuildReport> {
    const legacy = new LegacyAdminClient(this.config);
    const token = await legacy.adminToken();
    const redis = createRedisConnection(
      { url: this.config.redisUrl, reconnectBaseDelayMs: 100, reconnectMaxDelayMs: 1_000 },
      'catalog-rebuild',
    );
    await connectOrFail(redis, this.config.redisUrl);
    try {
      // On a Redis Cluster (`?cluster=true`) the streams carry the transport's hash tag.
      const keys = new StreamKeys(this.config.redisPrefix, { cluster: isClusterUrl(this.config.redisUrl) });
      const streams = patternsReadBy(CATALOG_CONSUMED_EVENTS).map((pattern) => keys.events(pattern));
      await assertNoRunningConsumer(redis, streams, CATALOG_PROCESS_NAME);
      const deleted = await resetReadModel(this.uow, CATALOG_PROCESS_NAME);
      const groups: RewoundGroup[] = [];
      for (const stream of streams) groups.push(await rewindGroup(redis, stream, CATALOG_PROCESS_NAME));
      const backfill = await legacy.backfill(token);
      return { legacyUrl: this.config.legacyUrl, deleted, groups, backfill };
    } finally {
      redis.destroy();
    }
  }
}

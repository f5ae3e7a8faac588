import { type RedisConnection, connectOrFail, createRedisConnection } from '@app/redis-streams';
import type { HistoryCopy, RuleStore, RuleSync, RuleSyncOptions } from '../../../src/store';
import { type RedisTarget, RedisTargets } from '../../../../tools/testing/redis-cluster';
import { RuleStoreHarness } from '../../support/rule-store-harness';

export { RedisTargets, type RedisTarget };

/**
 * The rule store's harness (stores, syncs, rules files and history copies under one fresh
 * prefix) on a target: the shared test Redis, or a Redis Cluster ({@link RedisTargets}). Stores
 * and syncs connect to the target's URL, so on a cluster they run over a cluster connection; the
 * harness reads, writes, lists and deletes keys through one of its own ({@link redis}), which on a
 * cluster reaches every master.
 */
export class StoreTargetHarness {
  private inner?: RuleStoreHarness;
  private connection?: RedisConnection;

  constructor(readonly target: RedisTarget) {}

  async start(): Promise<this> {
    const url = await this.target.url();
    const inner = new RuleStoreHarness(url);
    await inner.start();
    const connection = createRedisConnection(
      { url, reconnectBaseDelayMs: 50, reconnectMaxDelayMs: 500 },
      'store-tests',
    );
    connection.on('error', () => undefined);
    await connectOrFail(connection, url);
    this.inner = inner;
    this.connection = connection;
    return this;
  }

  private get base(): RuleStoreHarness {
    if (!this.inner) throw new Error('StoreTargetHarness.start() has not run');
    return this.inner;
  }

  get prefix(): string {
    return this.base.prefix;
  }

  get url(): string {
    return this.base.url;
  }

  /** The harness's own connection to the target (on a cluster, to every node it needs). */
  get redis(): RedisConnection {
    if (!this.connection) throw new Error('StoreTargetHarness.start() has not run');
    return this.connection;
  }

  store(): Promise<RuleStore> {
    return this.base.store();
  }

  sync(options: Partial<RuleSyncOptions> = {}): Promise<RuleSync> {
    return this.base.sync(options);
  }

  rulesFile(document?: unknown, name?: string): string {
    return this.base.rulesFile(document, name);
  }

  historyCopy(instance: string): HistoryCopy {
    return this.base.historyCopy(instance);
  }

  /** The keys under the prefix (on a cluster, of every master). */
  async keys(): Promise<string[]> {
    const found: string[] = [];
    let cursor = '0';
    do {
      const reply = await this.redis.scan(cursor, { MATCH: `${this.prefix}*`, COUNT: 500 });
      cursor = String(reply.cursor);
      found.push(...reply.keys.map(String));
    } while (cursor !== '0');
    return found.sort();
  }

  /** Deletes every key under the prefix, as a Redis that comes back without its data. */
  async flush(): Promise<void> {
    const keys = await this.keys();
    if (keys.length > 0) await this.redis.del(keys);
  }

  /** Closes every store and sync, deletes every key under the prefix and the temporary folder. */
  async cleanup(): Promise<void> {
    await this.inner?.cleanup();
    if (!this.connection) return;
    await this.flush().catch(() => undefined);
    await this.connection.close().catch(() => this.connection?.destroy());
  }
}

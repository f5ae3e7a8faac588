import type { RedisConnection } from '@app/redis-streams';
import type { HistoryCopy, RuleStore, RuleSync, RuleSyncOptions } from '../../../src/store';
import {
  type RedisTarget,
  RedisTargets,
  connectToTarget,
  deleteKeysUnder,
  keysUnder,
} from '../../../../tools/testing/redis-cluster';
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
    this.inner = inner;
    this.connection = await connectToTarget(url, 'store-tests');
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
  keys(): Promise<string[]> {
    return keysUnder(this.redis, this.prefix);
  }

  /** Deletes every key under the prefix, as a Redis that comes back without its data. */
  flush(): Promise<void> {
    return deleteKeysUnder(this.redis, this.prefix);
  }

  /** Closes every store and sync, deletes every key under the prefix and the temporary folder. */
  async cleanup(): Promise<void> {
    await this.inner?.cleanup();
    if (!this.connection) return;
    await this.flush().catch(() => undefined);
    await this.connection.close().catch(() => this.connection?.destroy());
  }
}

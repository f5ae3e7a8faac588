import { randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createClient } from 'redis';
import { stringify } from 'yaml';
import type { RuleSetInput } from '../../src/rules';
import { HistoryCopy, RuleStore, RuleSync, type RuleSyncOptions, ruleCompiler } from '../../src/store';

export const TEST_REDIS_URL = process.env.TEST_REDIS_URL ?? 'redis://127.0.0.1:6379';
export const TEST_JWT_SECRET = 'strangler-store-e2e-secret-0123456789';

/** A key prefix of its own for each test file, so runs on the shared Redis never collide. */
export function uniquePrefix(): string {
  return `ficus-test:strangler-${Date.now().toString(36)}-${randomBytes(4).toString('hex')}:`;
}

/** Rules with a lone route and a group of two, everything on legacy. */
export function sampleRules(): RuleSetInput {
  return {
    legacy: 'legacy',
    upstreams: {
      legacy: { url: 'http://127.0.0.1:3000' },
      catalog: { url: 'http://127.0.0.1:3001' },
      orders: { url: 'http://127.0.0.1:3002' },
    },
    routes: [
      { id: 'products-read', match: { methods: ['GET'], path: '/api/products/**' }, target: 'catalog', mode: 'legacy' },
      {
        id: 'orders-read',
        group: 'orders',
        match: { methods: ['GET'], path: '/api/orders/:id' },
        target: 'orders',
        mode: 'legacy',
      },
      {
        id: 'orders-write',
        group: 'orders',
        match: { methods: ['POST'], path: '/api/orders' },
        target: 'orders',
        mode: 'legacy',
      },
    ],
  };
}

export const silentLogger = { log: () => undefined, warn: () => undefined, error: () => undefined };

/** Polls `probe` until it returns a truthy value (or throws the last failure after `timeoutMs`). */
export async function eventually<T>(probe: () => T | Promise<T>, timeoutMs = 5_000, everyMs = 5): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    let failure: unknown;
    try {
      const value = await probe();
      if (value) return value;
    } catch (error) {
      failure = error;
    }
    if (Date.now() > deadline) throw failure ?? new Error(`not true within ${timeoutMs} ms`);
    await new Promise((resolve) => setTimeout(resolve, everyMs));
  }
}

/**
 * Stores and syncs on a Redis under one fresh prefix; `cleanup()` closes them all and deletes
 * every key under the prefix.
 */
export class RuleStoreHarness {
  readonly prefix = uniquePrefix();
  readonly redis: ReturnType<typeof createClient>;
  /** A temporary folder of the test's own, deleted by `cleanup()`. */
  readonly dir = mkdtempSync(join(tmpdir(), 'ficus-rules-'));
  private readonly closers: (() => Promise<unknown>)[] = [];

  constructor(readonly url = TEST_REDIS_URL) {
    this.redis = createClient({ url, RESP: 2 });
  }

  async start(): Promise<this> {
    this.redis.on('error', () => undefined);
    await this.redis.connect();
    return this;
  }

  async store(url = this.url): Promise<RuleStore> {
    const store = await RuleStore.connect(url, this.prefix);
    this.closers.push(() => store.close());
    return store;
  }

  /** A rules file (YAML) in a temporary folder. */
  rulesFile(document: unknown = sampleRules(), name = `rules-${this.closers.length}.yaml`): string {
    const path = join(this.dir, name);
    writeFileSync(path, name.endsWith('.json') ? JSON.stringify(document) : stringify(document));
    return path;
  }

  /** The folder of an instance's history copy (`STRANGLER_HISTORY_DIR`), one per instance name. */
  historyDir(instance: string): string {
    return join(this.dir, `history-${instance}`);
  }

  /** The history copy of an instance named `instance`, for this harness's prefix. */
  historyCopy(instance: string): HistoryCopy {
    return HistoryCopy.inDir(this.historyDir(instance), this.prefix);
  }

  /** A sync over its own store connection, not started. */
  async sync(options: Partial<RuleSyncOptions> = {}, url = this.url): Promise<RuleSync> {
    const store = options.store ?? (await this.store(url));
    const sync = new RuleSync({
      store,
      compile: ruleCompiler({ environment: {}, jwtSecret: TEST_JWT_SECRET }),
      rulesFile: options.rulesFile ?? this.rulesFile(),
      pollIntervalMs: 60_000,
      logger: silentLogger,
      ...options,
    });
    this.closers.push(() => sync.stop());
    return sync;
  }

  async keys(): Promise<string[]> {
    const found: string[] = [];
    for await (const batch of this.redis.scanIterator({ MATCH: `${this.prefix}*`, COUNT: 500 })) found.push(...batch);
    return found.sort();
  }

  /** Deletes every key under the prefix, as a Redis that comes back without its data. */
  async flush(): Promise<void> {
    const keys = await this.keys();
    if (keys.length > 0) await this.redis.del(keys);
  }

  async cleanup(): Promise<void> {
    for (const close of this.closers.reverse()) await close().catch(() => undefined);
    this.closers.length = 0;
    const keys = await this.keys().catch(() => []);
    if (keys.length > 0) await this.redis.del(keys);
    await this.redis.close();
    rmSync(this.dir, { recursive: true, force: true });
  }
}

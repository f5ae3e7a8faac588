import { Logger } from '@nestjs/common';
import type { NestExpressApplication } from '@nestjs/platform-express';
import { Registry } from 'prom-client';
import { JwtCodec, authConfig } from '@app/auth';
import { buildAdminApp } from './admin';
import { consistencyConfig } from './config/consistency.config';
import { idempotencyPinsConfig } from './config/idempotency-pins.config';
import { type StranglerConfig, stranglerConfig } from './config/strangler.config';
import { type DataPlane, createDataPlane } from './data-plane';
import { PositionsStore } from './data-plane/consistency';
import { IdempotencyPins } from './data-plane/idempotency';
import { internalPathsConfig } from './data-plane/internal-paths.config';
import { startupAllowList } from './rules';
import { upstreamAllowConfig } from './rules/upstream-allow.config';
import { HistoryCopy, RuleStore, RuleSync, ruleCompiler } from './store';

/** The facade's two planes and what they share, built but not listening. */
export interface StranglerApp {
  readonly config: StranglerConfig;
  readonly dataPlane: DataPlane;
  readonly admin: NestExpressApplication;
  readonly sync: RuleSync;
  readonly store: RuleStore;
  /** Closes the data plane (draining requests), the rule sync and the store; not the admin app. */
  stopRouting(): Promise<void>;
}

/**
 * Builds the facade from the environment: the rule store in Redis (seeded from
 * `STRANGLER_RULES_FILE` when empty), the rules kept current by the sync with a copy of their
 * history in `STRANGLER_HISTORY_DIR` (written back if Redis loses it), the public data
 * plane, and the admin plane. Nothing listens yet: tests listen on port 0, `main.ts` on
 * `STRANGLER_PORT` and `PORT`.
 */
export async function buildStranglerApp(): Promise<StranglerApp> {
  const config = stranglerConfig();
  const auth = authConfig();
  const pins = idempotencyPinsConfig();
  const consistency = consistencyConfig();
  const { internalPaths } = internalPathsConfig();
  // Where upstreams may be; a rules file or override the facade may not route to stops the start here.
  const upstreamAllow = await startupAllowList(config.rulesFile, upstreamAllowConfig().allow);
  const compile = ruleCompiler({ environment: config.environment, jwtSecret: auth.jwtSecret, upstreamAllow });
  const store = await RuleStore.connect(config.redisUrl, config.redisPrefix, undefined, upstreamAllow);
  const sync = new RuleSync({
    store,
    rulesFile: config.rulesFile,
    pollIntervalMs: config.pollIntervalMs,
    historyCopy: HistoryCopy.inDir(config.historyDir, config.redisPrefix),
    compile,
  });
  let dataPlane: DataPlane | undefined;
  let positions: PositionsStore | undefined;
  try {
    const rules = await sync.start();
    const metrics = new Registry();
    if (consistency.enabled) {
      // Shared by every instance on this REDIS_PREFIX, through the rule store's connection; a copy in memory spares reads a round trip.
      positions = new PositionsStore({
        redis: store.redis,
        prefix: config.redisPrefix,
        ttlMs: consistency.ttlMs,
        windowMs: consistency.windowMs,
        memory: { leaseMs: consistency.leaseMs, maxAggregates: consistency.memoryMax },
        metrics,
        logger: new Logger(),
      });
      await positions.start();
    }
    dataPlane = createDataPlane({
      rules,
      metrics,
      maxBodyBytes: config.maxBodyBytes,
      routingHeaders: config.routingHeaders,
      internalPaths,
      trustProxy: config.trustProxy,
      // Nest's logger: the process's JSON lines, under the data plane's own context.
      logger: new Logger(),
      // Shared by every instance on this REDIS_PREFIX, through the rule store's connection.
      idempotency: new IdempotencyPins({
        redis: store.redis,
        prefix: config.redisPrefix,
        ttlMs: pins.ttlMs,
        jwt: new JwtCodec(auth.jwtSecret),
        metrics,
        logger: new Logger(),
      }),
      consistency: positions,
    });
    const admin = await buildAdminApp({ store, rules, sync, stats: dataPlane, metrics });
    const plane = dataPlane;
    const kept = positions;
    return {
      config,
      dataPlane: plane,
      admin,
      sync,
      store,
      stopRouting: async () => {
        await plane.close();
        await kept?.close();
        await sync.stop();
        await store.close();
      },
    };
  } catch (error) {
    await dataPlane?.close().catch(() => undefined);
    await positions?.close().catch(() => undefined);
    await sync.stop().catch(() => undefined);
    await store.close().catch(() => undefined);
    throw error;
  }
}

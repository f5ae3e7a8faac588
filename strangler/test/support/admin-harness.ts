import type { NestExpressApplication } from '@nestjs/platform-express';
import type { Registry } from 'prom-client';
import request from 'supertest';
import { withEnv } from '../../../tools/testing/with-env';
import {
  type CircuitStatusView,
  type DataPlaneStats,
  type RouteTrafficCounts,
  type TrafficSplitCounts,
  type TrippedRoute,
  buildAdminApp,
} from '../../src/admin';
import type { RuleStore, RuleSync } from '../../src/store';
import { RuleStoreHarness, TEST_JWT_SECRET, sampleRules } from './rule-store-harness';

export const TEST_ADMIN_TOKEN = 'strangler-admin-token-for-tests-0123';

/** Data plane stats a test sets by hand. */
export class FakeDataPlaneStats implements DataPlaneStats {
  traffic: RouteTrafficCounts[] = [];
  guards: TrippedRoute[] = [];
  breakers: CircuitStatusView[] = [];
  asked: (number | undefined)[] = [];

  trafficSplit(minutes = 5): TrafficSplitCounts {
    this.asked.push(minutes);
    return { minutes, since: new Date(Date.now() - minutes * 60_000).toISOString(), routes: this.traffic };
  }

  trippedRoutes(): TrippedRoute[] {
    return this.guards;
  }

  circuits(): CircuitStatusView[] {
    return this.breakers;
  }
}

/**
 * The admin plane in-process over a real store and sync (Redis under a fresh prefix, seeded
 * with the sample rules), listening on a real port.
 */
export class AdminHarness {
  private constructor(
    readonly stats: FakeDataPlaneStats,
    readonly rules: RuleStoreHarness,
    readonly store: RuleStore,
    readonly sync: RuleSync,
    readonly app: NestExpressApplication,
    readonly url: string,
  ) {}

  static async start(
    options: {
      redisUrl?: string;
      pollIntervalMs?: number;
      metrics?: Registry;
      /** More variables for the admin app, e.g. `STRANGLER_ADMIN_TOKENS` (`undefined` unsets one). */
      env?: Readonly<Record<string, string | undefined>>;
    } = {},
  ): Promise<AdminHarness> {
    const rules = await new RuleStoreHarness(options.redisUrl).start();
    const store = await rules.store();
    const sync = await rules.sync({
      store,
      rulesFile: rules.rulesFile(sampleRules()),
      pollIntervalMs: options.pollIntervalMs ?? 60_000,
      checkTimeoutMs: 200,
    });
    await sync.start();
    const stats = new FakeDataPlaneStats();
    const app = await withEnv(
      {
        STRANGLER_ADMIN_TOKEN: TEST_ADMIN_TOKEN,
        REDIS_URL: rules.url,
        REDIS_PREFIX: rules.prefix,
        JWT_SECRET: TEST_JWT_SECRET,
        ...options.env,
      },
      () => buildAdminApp({ store, rules: sync.rules, sync, stats, metrics: options.metrics }),
    );
    await app.listen(0, '127.0.0.1');
    return new AdminHarness(stats, rules, store, sync, app, (await app.getUrl()).replace('[::1]', '127.0.0.1'));
  }

  /** Supertest against the listening server, without a token. */
  http() {
    return request(this.url);
  }

  get auth(): { Authorization: string } {
    return { Authorization: `Bearer ${TEST_ADMIN_TOKEN}` };
  }

  async close(): Promise<void> {
    await this.app.close();
    await this.rules.cleanup();
  }
}

import type { RuleSetDocument } from '../../src/rules';
import { type RuleStore, type RuleSync, initialSummary, ruleCompiler } from '../../src/store';
import { encodeVersion } from '../../src/store/rule-version.codec';
import { eventually, sampleRules } from '../support/rule-store-harness';
import { RedisTargets, StoreTargetHarness } from './support/store-targets';

const by = (expectedVersion: number) => ({ expectedVersion, author: 'ana', reason: 'test' });

const targets = new RedisTargets();
afterAll(() => targets.stop());

describe.each(targets.all)('rule sync on $name', (target) => {
  const harness = new StoreTargetHarness(target);
  beforeAll(() => harness.start());
  afterAll(() => harness.cleanup());

  describe('on an empty store', () => {
    it('seeds it from the rules file exactly once when two instances start together', async () => {
      const one = { ...sampleRules(), routes: [] };
      const [a, b] = await Promise.all([
        harness.sync({ rulesFile: harness.rulesFile(one, 'one.yaml'), instance: 'strangler@a' }),
        harness.sync({ rulesFile: harness.rulesFile(sampleRules(), 'two.json'), instance: 'strangler@b' }),
      ]);
      const [rulesA, rulesB] = await Promise.all([(a as RuleSync).start(), (b as RuleSync).start()]);
      expect(rulesA.current.version).toBe(1);
      expect(rulesB.current.version).toBe(1);
      expect(rulesA.current.document).toEqual(rulesB.current.document);

      const store = await harness.store();
      const audit = await store.audit();
      expect(audit).toHaveLength(1);
      expect(audit[0]).toMatchObject({ version: 1, action: 'seed', reason: expect.stringMatching(/^seeded from /) });
      expect(await store.currentVersion()).toBe(1);
      expect(a?.status()).toMatchObject({ state: 'synced', activeVersion: 1, storeVersion: 1, problem: null });
    });
  });

  describe('with two instances', () => {
    let store: RuleStore;
    let a: RuleSync;
    let b: RuleSync;

    beforeAll(async () => {
      store = await harness.store();
      // The seed above may have come from either file: start from the sample rules.
      await store.replace(sampleRules(), by(await store.currentVersion()));
      [a, b] = await Promise.all([harness.sync(), harness.sync()]);
      await Promise.all([a.start(), b.start()]);
    });

    it('converges on each new version within 200 ms', async () => {
      const lags: number[] = [];
      for (let percent = 10; percent <= 50; percent += 10) {
        const expected = await store.currentVersion();
        const started = performance.now();
        await store.changeRoute('products-read', { mode: 'canary', percent, stickyBy: 'jwt.sub' }, by(expected));
        await eventually(
          () => a.rules.current.version === expected + 1 && b.rules.current.version === expected + 1,
          1_000,
          1,
        );
        lags.push(performance.now() - started);
        expect(a.rules.current.match({ method: 'GET', segments: ['api', 'products', 'x'] } as never)?.percent).toBe(
          percent,
        );
      }
      expect(Math.max(...lags)).toBeLessThan(200);
    });

    it('swaps atomically: a request keeps the version it read', async () => {
      const held = a.rules.current;
      const expected = await store.currentVersion();
      await store.changeRoute('products-read', { mode: 'live' }, by(expected));
      await eventually(() => a.rules.current.version === expected + 1);
      expect(held.version).toBe(expected);
      expect(held.document.routes[0]?.mode).toBe('canary');
      expect(a.rules.current.document.routes[0]?.mode).toBe('live');
    });
  });

  describe('its periodic check', () => {
    it('installs a version whose announcement was missed', async () => {
      const store = await harness.store();
      const sync = await harness.sync({ pollIntervalMs: 100 });
      await sync.start();
      const current = await store.get(await store.currentVersion());
      const next = current.version + 1;
      // Written without the announcement, as if the channel had been down.
      await harness.redis.hSet(
        store.keys.version(next),
        encodeVersion({ ...current, version: next, basedOn: current.version, action: 'replace' }),
      );
      await harness.redis.set(store.keys.current, String(next));
      await eventually(() => sync.rules.current.version === next, 2_000);
    });

    it('keeps the version it has and reports degraded when the newest version cannot be used', async () => {
      const store = await harness.store();
      const sync = await harness.sync({ pollIntervalMs: 100 });
      await sync.start();
      const current = await store.get(await store.currentVersion());
      const broken = { legacy: 'gone', upstreams: {}, routes: [] } as unknown as RuleSetDocument;
      await harness.redis.hSet(
        store.keys.version(current.version + 1),
        encodeVersion({
          ...current,
          version: current.version + 1,
          document: broken,
          summary: initialSummary(current.document),
        }),
      );
      await harness.redis.set(store.keys.current, String(current.version + 1));
      await harness.redis.publish(store.keys.changed, String(current.version + 1));
      const status = await eventually(() => (sync.status().state === 'degraded' ? sync.status() : undefined));
      expect(status).toMatchObject({
        activeVersion: current.version,
        storeVersion: current.version + 1,
        problem: `Rules version ${current.version + 1} is invalid: legacy: "gone" is not an upstream (known: none)`,
      });
      expect(sync.rules.current.version).toBe(current.version);

      await store.replace(current.document, by(current.version + 1));
      await eventually(() => sync.rules.current.version === current.version + 2);
      expect(sync.status()).toMatchObject({ state: 'synced', problem: null, degradedSince: null });
    });
  });

  it('compiles with the environment’s upstream addresses', async () => {
    const sync = await harness.sync({
      compile: ruleCompiler({
        environment: { STRANGLER_UPSTREAM_CATALOG_URL: 'http://catalog:3001, http://catalog-2:3001' },
        jwtSecret: 'x',
      }),
    });
    const rules = await sync.start();
    expect(rules.current.upstreamUrls.get('catalog')).toEqual(['http://catalog:3001', 'http://catalog-2:3001']);
  });

  it('refuses to start on an empty store with an invalid rules file', async () => {
    const other = new StoreTargetHarness(target);
    await other.start();
    try {
      const sync = await other.sync({ rulesFile: other.rulesFile({ legacy: 'x', upstreams: {} }, 'bad.yaml') });
      await expect(sync.start()).rejects.toThrow(
        /^The rule store is empty and the rules file cannot seed it: legacy: "x" is not an upstream/,
      );
      const missing = await other.sync({ rulesFile: '/nonexistent/rules.yaml' });
      await expect(missing.start()).rejects.toThrow('/nonexistent/rules.yaml: cannot be read (ENOENT)');
    } finally {
      await other.cleanup();
    }
  });
});

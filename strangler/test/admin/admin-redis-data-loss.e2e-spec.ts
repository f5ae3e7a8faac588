import { readFileSync, writeFileSync } from 'node:fs';
import type { RuleSetInput } from '../../src/rules';
import { RuleStoreHarness, eventually } from '../support/rule-store-harness';
import { StranglerInstance } from '../support/strangler-instance';
import { type StubUpstream, closeAll, startStubUpstream } from '../support/stub-upstream';

interface VersionPage {
  current: number;
  versions: { version: number }[];
}

interface SyncStatus {
  state: string;
  activeVersion: number;
  storeVersion: number | null;
  history: { file: string; version: number; code: string | null; problem: string | null } | null;
}

const write = { author: 'ops' };

/**
 * Whole facades (`buildStranglerApp`) over a real Redis prefix, each with its history copy in a
 * folder of its own, in front of stub upstreams; "Redis loses its data" is every key under the
 * test's prefix deleted.
 */
describe('the facade when Redis loses its data', () => {
  let legacy: StubUpstream;
  let catalog: StubUpstream;

  beforeAll(async () => {
    [legacy, catalog] = await Promise.all([startStubUpstream('legacy'), startStubUpstream('catalog')]);
  });

  afterAll(() => closeAll(legacy, catalog));

  /** Products as a group of two routes, and orders, on legacy unless told. */
  const rules = (
    productsMode: 'legacy' | 'live' = 'legacy',
    ordersMode: 'legacy' | 'live' = 'legacy',
  ): RuleSetInput => ({
    legacy: 'legacy',
    upstreams: { legacy: { url: legacy.url }, catalog: { url: catalog.url } },
    routes: [
      {
        id: 'products-read',
        group: 'products',
        match: { methods: ['GET'], path: '/api/products/**' },
        target: 'catalog',
        mode: productsMode,
      },
      {
        id: 'products-write',
        group: 'products',
        match: { methods: ['POST'], path: '/api/products' },
        target: 'catalog',
        mode: productsMode,
      },
      { id: 'orders-read', match: { methods: ['GET'], path: '/api/orders/:id' }, target: 'catalog', mode: ordersMode },
    ],
  });

  /** Who answers a GET through an instance's data plane. */
  const servedBy = async (instance: StranglerInstance, path: string) => {
    const response = await fetch(`${instance.dataUrl}${path}`);
    await response.arrayBuffer();
    return response.headers.get('x-upstream');
  };

  const status = (instance: StranglerInstance) => instance.read<SyncStatus>('/admin/status');

  /** Versions 2 to 5 through the admin API: orders moved, products canaried, replaced, then a rollback to 2. */
  async function makeChanges(instance: StranglerInstance): Promise<void> {
    const send = async (method: 'patch' | 'put' | 'post', path: string, body: object) => {
      const response = await instance
        .admin()
        [method](path)
        .set(instance.auth)
        .send({ ...write, ...body });
      expect(response.status).toBe(201);
    };
    await send('patch', '/admin/rules/routes/orders-read', { mode: 'live', expectedVersion: 1, reason: 'orders' });
    await send('patch', '/admin/rules/groups/products', {
      mode: 'canary',
      percent: 50,
      stickyBy: 'header:x-customer',
      expectedVersion: 2,
      reason: 'half the products',
    });
    await send('put', '/admin/rules', {
      document: rules('live', 'live'),
      expectedVersion: 3,
      reason: 'all to catalog',
    });
    await send('post', '/admin/rules/rollback', { toVersion: 2, expectedVersion: 4, reason: 'catalog is slow' });
  }

  /** What `rules history`, `rules show`, `rules diff`, `audit` and a rollback to 4 answer, over HTTP and the CLI. */
  async function answers(instance: StranglerInstance) {
    const version4 = await instance.read<{ document: unknown }>('/admin/rules/versions/4');
    const rollbackPreview = await instance
      .admin()
      .post('/admin/rules/validate')
      .set(instance.auth)
      .send({ document: version4.document })
      .expect(200);
    return {
      versions: await instance.read<VersionPage>('/admin/rules/versions?limit=100'),
      version3: await instance.read('/admin/rules/versions/3'),
      version4,
      current: await instance.read('/admin/rules'),
      diff: await instance.read('/admin/rules/diff?from=1&to=4'),
      audit: await instance.read<{ entries: unknown[] }>('/admin/audit?limit=100'),
      rollbackPreview: rollbackPreview.body as { summary: unknown },
      cliHistory: await instance.cli('rules', 'history', '--limit', '100'),
      cliAudit: await instance.cli('audit', '--limit', '100'),
    };
  }

  const restored = (instance: StranglerInstance, version: number) =>
    eventually(async () => (await instance.read<VersionPage>('/admin/rules/versions')).current === version, 10_000);

  describe('with one instance', () => {
    const harness = new RuleStoreHarness();
    let a: StranglerInstance;

    beforeAll(async () => {
      await harness.start();
      a = await StranglerInstance.start(harness, 'a', { STRANGLER_RULES_FILE: harness.rulesFile(rules()) });
    });

    afterAll(async () => {
      await a?.close();
      await harness.cleanup();
    });

    it('answers history, rollback to an old version and audit as before the loss', async () => {
      await makeChanges(a);
      await eventually(async () => (await status(a)).history?.version === 5);
      const before = await answers(a);
      expect(before.versions.current).toBe(5);
      expect(before.audit.entries).toHaveLength(5);
      expect(before.cliHistory).toMatchObject({ code: 0, stderr: '' });

      await harness.flush();
      // Routing goes on with the version the instance has, whatever Redis holds.
      expect(await servedBy(a, '/api/orders/7')).toBe('catalog');
      await restored(a, 5);

      expect(await answers(a)).toEqual(before);
      expect(await status(a)).toMatchObject({ state: 'synced', activeVersion: 5, storeVersion: 5 });

      const rollback = await a
        .admin()
        .post('/admin/rules/rollback')
        .set(a.auth)
        .send({ ...write, toVersion: 4, expectedVersion: 5, reason: 'catalog is fast again' })
        .expect(201);
      expect(rollback.body).toEqual({
        changed: true,
        version: {
          version: 6,
          action: 'rollback',
          subject: '4',
          basedOn: 5,
          rollbackOf: 4,
          author: 'ops',
          reason: 'catalog is fast again',
          createdAt: expect.any(String),
          summary: before.rollbackPreview.summary,
        },
        warnings: [],
      });
      const audit = await a.read<{ entries: { version: number; action: string }[] }>('/admin/audit?limit=100');
      expect(audit.entries[0]).toMatchObject({ version: 6, action: 'rollback', summary: expect.any(String) });
      expect(audit.entries.slice(1)).toEqual(before.audit.entries);
      await eventually(async () => (await servedBy(a, '/api/products/1')) === 'catalog');
    });
  });

  describe('with two instances', () => {
    const harness = new RuleStoreHarness();
    let a: StranglerInstance;
    let b: StranglerInstance;

    beforeAll(async () => {
      await harness.start();
      const rulesFile = harness.rulesFile(rules());
      a = await StranglerInstance.start(harness, 'a', { STRANGLER_RULES_FILE: rulesFile });
      b = await StranglerInstance.start(harness, 'b', { STRANGLER_RULES_FILE: rulesFile });
    });

    afterAll(async () => {
      await a?.close();
      await b?.close();
      await harness.cleanup();
    });

    it('restore the history once between them: both answer as before, nothing twice', async () => {
      await makeChanges(a);
      await eventually(
        async () => (await status(a)).history?.version === 5 && (await status(b)).history?.version === 5,
      );
      const before = await answers(a);
      expect(await answers(b)).toEqual(before);

      await harness.flush();
      await restored(b, 5);

      expect(await answers(a)).toEqual(before);
      expect(await answers(b)).toEqual(before);
      for (const instance of [a, b]) {
        expect(await status(instance)).toMatchObject({
          state: 'synced',
          activeVersion: 5,
          storeVersion: 5,
          history: { version: 5, code: null },
        });
      }

      await b
        .admin()
        .post('/admin/rules/rollback')
        .set(b.auth)
        .send({ ...write, toVersion: 4, expectedVersion: 5, reason: 'catalog is fast again' })
        .expect(201);
      await eventually(async () => {
        const seen = await status(a);
        return seen.activeVersion === 6 && seen.history?.version === 6;
      });
      expect(await servedBy(a, '/api/products/1')).toBe('catalog');
      const audit = await a.read<{ entries: unknown[] }>('/admin/audit?limit=100');
      expect(audit.entries.slice(1)).toEqual(before.audit.entries);
    });
  });

  describe('with a corrupt history copy', () => {
    const harness = new RuleStoreHarness();
    let a: StranglerInstance;
    let file: string;

    beforeAll(async () => {
      await harness.start();
      const env = { STRANGLER_RULES_FILE: harness.rulesFile(rules()) };
      const first = await StranglerInstance.start(harness, 'a', env);
      try {
        await makeChanges(first);
        await eventually(async () => (await status(first)).history?.version === 5);
        file = (await status(first)).history?.file ?? '';
      } finally {
        await first.close();
      }
      writeFileSync(file, readFileSync(file, 'utf8').replace('"kind":"audit"', '"kind":"audit'));
      a = await StranglerInstance.start(harness, 'a', env);
    });

    afterAll(async () => {
      await a?.close();
      await harness.cleanup();
    });

    it('starts and serves with the rules, reporting STRANGLER_HISTORY_COPY_CORRUPT', async () => {
      const seen = await status(a);
      expect(seen).toMatchObject({
        state: 'synced',
        activeVersion: 5,
        history: {
          file,
          version: 0,
          code: 'STRANGLER_HISTORY_COPY_CORRUPT',
          problem: expect.stringMatching(/^The history copy .+ is corrupt at line \d+: not JSON\. Move the file aside/),
        },
      });
      expect(await servedBy(a, '/api/orders/7')).toBe('catalog');
      expect(await servedBy(a, '/api/products/1')).toBe('legacy');
      const ready = await a.read<{ info: { rules: { status: string } } }>('/health/ready');
      expect(ready.info.rules).toMatchObject({ status: 'up', history: { code: 'STRANGLER_HISTORY_COPY_CORRUPT' } });
      const metrics = await a.admin().get('/metrics').set(a.auth).expect(200);
      expect(metrics.text).toContain('strangler_rules_history_copy_failed{service="strangler"} 1');
      const cli = await a.cli('status');
      expect(cli.stdout.split('\n')).toContain(
        `history copy: STRANGLER_HISTORY_COPY_CORRUPT: ${seen.history?.problem}`,
      );
    });

    it('writes back the version it routes with when Redis loses its data, and goes on serving', async () => {
      await harness.flush();
      await restored(a, 5);
      expect(await a.read('/admin/rules/versions')).toMatchObject({
        current: 5,
        versions: [{ version: 5, action: 'restore', author: expect.stringMatching(/^strangler@/) }],
      });
      expect(await servedBy(a, '/api/orders/7')).toBe('catalog');
    });
  });
});

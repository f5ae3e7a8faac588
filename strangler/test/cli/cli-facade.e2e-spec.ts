import type { NestExpressApplication } from '@nestjs/platform-express';
import { Registry } from 'prom-client';
import { withEnv } from '../../../tools/testing/with-env';
import { buildAdminApp } from '../../src/admin';
import type { TrafficReport } from '../../src/admin/traffic/traffic-report';
import type { CliOutput } from '../../src/cli/cli-output';
import { runCli } from '../../src/cli/run-cli';
import { type DataPlane, createDataPlane } from '../../src/data-plane';
import type { RuleSetInput } from '../../src/rules';
import { TEST_ADMIN_TOKEN } from '../support/admin-harness';
import { RuleStoreHarness, TEST_JWT_SECRET, eventually } from '../support/rule-store-harness';
import { type StubUpstream, closeAll, startStubUpstream } from '../support/stub-upstream';

/**
 * The facade as `npm run start:strangler` builds it (one rule sync shared by the data plane and
 * the admin plane, the admin plane reading the data plane's traffic), on port 0 over a real Redis
 * prefix, with stub upstreams; the CLI runs in-process against its admin API.
 */
describe('the strangler CLI against a facade', () => {
  const harness = new RuleStoreHarness();
  let legacy: StubUpstream;
  let catalog: StubUpstream;
  let dataPlane: DataPlane;
  let admin: NestExpressApplication;
  let dataUrl: string;
  let env: Record<string, string>;

  const cli = async (...argv: string[]) => {
    const out: string[] = [];
    const err: string[] = [];
    const output: CliOutput = { out: (text) => out.push(text), err: (text) => err.push(text) };
    const code = await runCli(argv, env, output);
    return { code, stdout: out.join('\n'), stderr: err.join('\n') };
  };

  const get = async (path: string, times: number) => {
    for (let i = 0; i < times; i++) {
      const response = await fetch(`${dataUrl}${path}`);
      await response.arrayBuffer();
    }
  };

  const version1 = (): RuleSetInput => ({
    legacy: 'legacy',
    upstreams: { legacy: { url: legacy.url }, catalog: { url: catalog.url } },
    routes: [
      // Written before anything moved: the list of products on legacy itself.
      { id: 'products-list', match: { methods: ['GET'], path: '/api/products' }, target: 'legacy', mode: 'live' },
    ],
  });

  const version2 = (): RuleSetInput => ({
    ...version1(),
    routes: [
      { id: 'products-list', match: { methods: ['GET'], path: '/api/products' }, target: 'catalog', mode: 'live' },
      {
        id: 'products-get',
        match: { methods: ['GET'], path: '/api/products/:id' },
        target: 'catalog',
        mode: 'live',
        fallback: true,
      },
    ],
  });

  beforeAll(async () => {
    [legacy, catalog] = await Promise.all([startStubUpstream('legacy'), startStubUpstream('catalog')]);
    await harness.start();
    const store = await harness.store();
    const sync = await harness.sync({ store, rulesFile: harness.rulesFile(version1()) });
    const rules = await sync.start();
    const metrics = new Registry();
    dataPlane = createDataPlane({ rules, metrics, maxBodyBytes: 1024 * 1024, routingHeaders: true, trustProxy: false });
    dataUrl = `http://127.0.0.1:${(await dataPlane.listen(0, '127.0.0.1')).port}`;
    admin = await withEnv(
      {
        STRANGLER_ADMIN_TOKEN: TEST_ADMIN_TOKEN,
        REDIS_URL: harness.url,
        REDIS_PREFIX: harness.prefix,
        JWT_SECRET: TEST_JWT_SECRET,
      },
      () => buildAdminApp({ store, rules, sync, stats: dataPlane, metrics }),
    );
    await admin.listen(0, '127.0.0.1');
    env = {
      STRANGLER_ADMIN_URL: (await admin.getUrl()).replace('[::1]', '127.0.0.1'),
      STRANGLER_ADMIN_TOKEN: TEST_ADMIN_TOKEN,
      STRANGLER_AUTHOR: 'cli-facade-test',
    };
  });

  afterAll(async () => {
    await dataPlane?.close();
    await admin?.close();
    await harness.cleanup();
    await closeAll(legacy, catalog);
  });

  const routingVersion = async () => JSON.parse((await cli('status', '--json')).stdout) as { activeVersion: number };

  it('traffic: what each side served over the window, after the rules were rolled back', async () => {
    const file = harness.rulesFile(version2(), 'version-2.yaml');
    expect(await cli('rules', 'apply', file, '--reason', 'products to catalog')).toMatchObject({ code: 0 });
    await eventually(async () => (await routingVersion()).activeVersion === 2);
    await get('/api/products/7', 65);
    await get('/api/products', 10);
    await get('/elsewhere', 3);
    expect(catalog.requests).toHaveLength(75);

    const rollback = await cli('rules', 'rollback', '1', '--reason', 'catalog answers slowly');
    expect(rollback).toMatchObject({ code: 0, stderr: '' });
    await eventually(async () => (await routingVersion()).activeVersion === 3);
    await get('/api/products/7', 2);
    await get('/api/products', 1);

    const traffic = await cli('traffic');
    expect(traffic).toMatchObject({ code: 0, stderr: '' });
    const lines = traffic.stdout.split('\n');
    expect(lines[0]).toMatch(/^Traffic over the last 5 minute\(s\) since \S+, rules version 3:$/);
    expect(lines.slice(1).map((line) => line.split(/\s{2,}/))).toEqual([
      ['ROUTE', 'MODE', '%', 'TARGET', 'TOTAL', 'ON LEGACY', 'ON TARGET', 'TARGET SHARE'],
      // On legacy now, but catalog answered 10 of its requests before the rollback.
      ['products-list', 'live', '-', 'legacy', '11', '1', '10', '90.9 %'],
      // No longer in the rules: catalog answered all 65.
      ['products-get', '(removed)', '-', '-', '65', '0', '65', '100.0 %'],
      ['(no route)', '-', '-', '-', '5', '5', '0', '0.0 %'],
    ]);

    // Windows are whole minutes, the current one included: 2 hold every request of the last 60 s,
    // whenever the minute turned during this test.
    const json = JSON.parse((await cli('traffic', '--json', '--minutes', '2')).stdout) as TrafficReport;
    expect(json.routes).toEqual([
      expect.objectContaining({ routeId: 'products-list', legacyRequests: 1, targetRequests: 10 }),
      expect.objectContaining({ routeId: 'products-get', legacyRequests: 0, targetRequests: 65, targetShare: 1 }),
      expect.objectContaining({ routeId: null, total: 5, legacyRequests: 5, targetRequests: 0 }),
    ]);
  });

  it('rules show: percent, sticky key and fallback only where they apply', async () => {
    const write = (...argv: string[]) => cli(...argv, '--reason', 'test');
    expect(await write('rules', 'apply', harness.rulesFile(version2(), 'again.yaml'))).toMatchObject({ code: 0 });
    const canary = ['--mode', 'canary', '--percent', '25', '--sticky-by', 'jwt.sub', '--fallback', 'true'];
    expect(await write('route', 'set', 'products-list', ...canary)).toMatchObject({ code: 0 });
    // The percent, the sticky key and fallback stay in the rules when the route moves on.
    expect(await write('route', 'set', 'products-get', ...canary)).toMatchObject({ code: 0 });
    expect(await write('route', 'set', 'products-get', '--mode', 'legacy', '--timeout-ms', '2000')).toMatchObject({
      code: 0,
    });

    const canaryRows = (await cli('rules', 'show')).stdout.split('\n').slice(4);
    expect(canaryRows.map((line) => line.split(/\s{2,}/))).toEqual([
      ['ID', 'GROUP', 'METHODS', 'PATH', 'MODE', '%', 'STICKY', 'TARGET', 'TIMEOUT', 'FALLBACK'],
      ['products-list', '-', 'GET', '/api/products', 'canary', '25', 'jwt.sub', 'catalog', '-', 'true'],
      ['products-get', '-', 'GET', '/api/products/:id', 'legacy', '-', '-', 'catalog', '2000', '-'],
    ]);

    expect(await write('route', 'set', 'products-list', '--mode', 'live')).toMatchObject({ code: 0 });
    expect(await write('route', 'set', 'products-get', '--mode', 'shadow', '--fallback', 'none')).toMatchObject({
      code: 0,
    });
    const shown = await cli('rules', 'show');
    expect(
      shown.stdout
        .split('\n')
        .slice(5)
        .map((line) => line.split(/\s{2,}/)),
    ).toEqual([
      ['products-list', '-', 'GET', '/api/products', 'live', '-', '-', 'catalog', '-', 'true'],
      ['products-get', '-', 'GET', '/api/products/:id', 'shadow', '-', '-', 'catalog', '2000', '-'],
    ]);
    // The JSON answer is the rules as they are, leftovers included.
    const json = JSON.parse((await cli('rules', 'show', '--json')).stdout) as {
      document: { routes: { percent?: number; stickyBy?: string }[] };
    };
    expect(json.document.routes[0]).toMatchObject({ percent: 25, stickyBy: 'jwt.sub' });

    // The same in the traffic table: a percent only for a canary.
    const traffic = (await cli('traffic')).stdout.split('\n').find((line) => line.startsWith('products-list'));
    expect(traffic?.split(/\s{2,}/).slice(0, 4)).toEqual(['products-list', 'live', '-', 'catalog']);
  });
});

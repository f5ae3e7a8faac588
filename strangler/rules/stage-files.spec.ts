import { readdirSync } from 'node:fs';
import { join } from 'node:path';
import { CompiledRuleSet, type RoutingDecision, loadRulesFile, toRoutingRequest } from '../src/rules';

/** The stage files of the first extractions, in the order they are applied. */
const STAGES = [
  '01-everything-on-legacy.yaml',
  '02-catalog-reads.yaml',
  '03-catalog-inventory-payments.yaml',
  '04-orders.yaml',
];

const ID = '5f1f1b9e-7c1a-4a43-9a4e-1f0b2b7d8c01';

type Upstream = 'legacy' | 'catalog' | 'inventory' | 'payments' | 'orders';

/** Every public route of docs/api.md (plus the published OpenAPI document): where it goes at stage 1, 2, 3 and 4. */
const ROUTES: readonly [method: string, path: string, stages: readonly [Upstream, Upstream, Upstream, Upstream]][] = [
  ['POST', '/api/customers', ['legacy', 'legacy', 'legacy', 'legacy']],
  ['POST', '/api/auth/token', ['legacy', 'legacy', 'legacy', 'legacy']],
  ['GET', `/api/customers/${ID}`, ['legacy', 'legacy', 'legacy', 'legacy']],
  ['POST', `/api/customers/${ID}/deposits`, ['legacy', 'legacy', 'payments', 'payments']],
  ['GET', '/api/products', ['legacy', 'catalog', 'catalog', 'catalog']],
  ['GET', '/api/products?limit=5&offset=10&q=mug', ['legacy', 'catalog', 'catalog', 'catalog']],
  ['HEAD', '/api/products', ['legacy', 'catalog', 'catalog', 'catalog']],
  ['GET', `/api/products/${ID}`, ['legacy', 'catalog', 'catalog', 'catalog']],
  ['HEAD', `/api/products/${ID}`, ['legacy', 'catalog', 'catalog', 'catalog']],
  ['GET', '/api/products/not-a-uuid', ['legacy', 'catalog', 'catalog', 'catalog']],
  ['POST', '/api/products', ['legacy', 'legacy', 'catalog', 'catalog']],
  ['POST', `/api/products/${ID}/stock-adjustments`, ['legacy', 'legacy', 'inventory', 'inventory']],
  ['POST', '/api/orders', ['legacy', 'legacy', 'legacy', 'orders']],
  ['GET', `/api/orders/${ID}`, ['legacy', 'legacy', 'legacy', 'orders']],
  ['GET', '/api/orders?limit=5', ['legacy', 'legacy', 'legacy', 'orders']],
  ['POST', `/api/orders/${ID}/cancel`, ['legacy', 'legacy', 'legacy', 'orders']],
  ['GET', '/api-docs-json', ['legacy', 'legacy', 'legacy', 'legacy']],
  // Methods the moved routes do not serve stay on legacy, which answers them as it always has.
  ['PUT', `/api/products/${ID}`, ['legacy', 'legacy', 'legacy', 'legacy']],
  ['DELETE', `/api/products/${ID}`, ['legacy', 'legacy', 'legacy', 'legacy']],
  ['GET', `/api/customers/${ID}/deposits`, ['legacy', 'legacy', 'legacy', 'legacy']],
];

async function compileStage(file: string): Promise<CompiledRuleSet> {
  const check = await loadRulesFile(join(__dirname, file));
  if (!check.ok) throw new Error(`${file}:\n${check.errors.join('\n')}`);
  return new CompiledRuleSet(1, check.ruleSet);
}

function decide(ruleSet: CompiledRuleSet, method: string, target: string): RoutingDecision {
  const parsed = toRoutingRequest(method, target, {}, '127.0.0.1');
  if (!parsed.ok) throw new Error(parsed.reason);
  return ruleSet.decide(parsed.request);
}

describe('the migration stage files (strangler/rules)', () => {
  it('are the files listed here, and nothing else', () => {
    expect(readdirSync(__dirname).filter((name) => /\.(ya?ml|json)$/.test(name))).toEqual(STAGES);
  });

  it.each(STAGES)('%s passes the rules check with no error and no warning', async (file) => {
    const check = await loadRulesFile(join(__dirname, file));
    expect(check).toMatchObject({ ok: true, warnings: [] });
    expect('errors' in check ? check.errors : []).toEqual([]);
  });

  it.each(STAGES)('%s knows the upstreams at the addresses of npm start (orders from stage 4)', async (file) => {
    const ruleSet = await compileStage(file);
    expect(ruleSet.legacy).toBe('legacy');
    expect(Object.fromEntries(ruleSet.upstreamUrls)).toEqual({
      legacy: ['http://127.0.0.1:3000'],
      catalog: ['http://127.0.0.1:3001'],
      inventory: ['http://127.0.0.1:3004'],
      payments: ['http://127.0.0.1:3003'],
      ...(file.startsWith('04') ? { orders: ['http://127.0.0.1:3002'] } : {}),
    });
  });

  describe.each(STAGES.map((file, stage) => [stage + 1, file] as const))('stage %d (%s)', (stage, file) => {
    let ruleSet: CompiledRuleSet;
    beforeAll(async () => {
      ruleSet = await compileStage(file);
    });

    it.each(ROUTES.map(([method, path, stages]) => [method, path, stages[stage - 1]] as const))(
      '%s %s goes to %s',
      (method, path, upstream) => {
        expect(decide(ruleSet, method, path).upstream).toBe(upstream);
      },
    );
  });

  it('retries product reads once and lets legacy answer them when catalog fails, within 5 s', async () => {
    for (const file of STAGES.slice(1)) {
      const ruleSet = await compileStage(file);
      for (const [method, path] of [
        ['GET', '/api/products'],
        ['HEAD', `/api/products/${ID}`],
      ]) {
        expect(decide(ruleSet, method!, path!)).toMatchObject({
          route: { group: 'catalog-reads', mode: 'live' },
          timeoutMs: 5_000,
          retries: 1,
          fallback: true,
        });
      }
    }
  });

  it.each([
    ['POST', '/api/products', 'catalog-writes'],
    ['POST', `/api/products/${ID}/stock-adjustments`, 'inventory'],
    ['POST', `/api/customers/${ID}/deposits`, 'payments'],
  ])('never replays nor falls back a write: %s %s (group %s)', async (method, path, group) => {
    for (const file of STAGES.slice(2)) {
      expect(decide(await compileStage(file), method, path)).toMatchObject({
        route: { group, mode: 'live' },
        side: 'target',
        retries: 0,
        fallback: false,
      });
    }
  });

  it.each([
    ['POST', '/api/orders'],
    ['POST', `/api/orders/${ID}/cancel`],
  ])('never replays nor falls back an order write at stage 4: %s %s', async (method, path) => {
    expect(decide(await compileStage(STAGES[3]!), method, path)).toMatchObject({
      route: { group: 'orders', mode: 'live', stickyBy: 'jwt.sub' },
      side: 'target',
      retries: 0,
      fallback: false,
    });
  });

  it('keeps each customer on one side when the payments or orders group becomes a canary (sticky by jwt.sub)', async () => {
    for (const file of STAGES.slice(2)) {
      expect(decide(await compileStage(file), 'POST', `/api/customers/${ID}/deposits`).route).toMatchObject({
        group: 'payments',
        stickyBy: 'jwt.sub',
      });
    }
    const stage4 = await compileStage(STAGES[3]!);
    for (const [method, path] of [
      ['POST', '/api/orders'],
      ['GET', `/api/orders/${ID}`],
      ['GET', '/api/orders'],
      ['POST', `/api/orders/${ID}/cancel`],
    ]) {
      expect(decide(stage4, method!, path!).route).toMatchObject({ group: 'orders', stickyBy: 'jwt.sub' });
    }
  });
});

import { formatDifference, formatJson, formatRetry, formatSummary, formatVector } from './report-format';
import type { Difference, KindResult, SyncReport } from './sync-report';

const ID = '00000000-0000-4000-8000-00000000000a';

const difference = (overrides: Partial<Difference> = {}): Difference => ({
  kind: 'products',
  aggregateType: 'product',
  aggregateId: ID,
  fields: ['name', 'priceCents'],
  missingAt: [],
  sides: [
    {
      process: 'legacy-monolith',
      values: { sku: 'S', name: 'Mug', priceCents: 100 },
      vector: { 'legacy-monolith': 2 },
    },
    { process: 'catalog', values: { sku: 'S', name: 'Cup', priceCents: 90 }, vector: { 'legacy-monolith': 2 } },
  ],
  missingEvents: [],
  ...overrides,
});

const kind = (name: string, compared: number, differences: Difference[] = []): KindResult => ({
  kind: name,
  aggregateType: name === 'wallets' ? 'customer' : 'product',
  sides: name === 'wallets' ? ['legacy-monolith', 'payments'] : ['legacy-monolith', 'catalog'],
  compared,
  differences,
});

const report = (kinds: KindResult[], checks = 1): SyncReport => ({
  equal: kinds.every((result) => result.differences.length === 0),
  kinds,
  checks,
  elapsedMs: 1_234,
});

describe('the human output', () => {
  it('prints the fields that differ on each side, and that no event will settle equal vectors', () => {
    expect(formatDifference(difference())).toBe(
      `products product ${ID}: name, priceCents differ | legacy-monolith name="Mug" priceCents=100 vector ` +
        '{legacy-monolith:2} | catalog name="Cup" priceCents=90 vector {legacy-monolith:2} | ' +
        'vectors equal: no event is on its way to settle it',
    );
  });

  it('prints a missing side and the events each side has not applied', () => {
    const line = formatDifference(
      difference({
        fields: ['sku'],
        missingAt: ['catalog'],
        sides: [
          { process: 'legacy-monolith', values: { sku: 'S' }, vector: { 'legacy-monolith': 4, inventory: 1 } },
          { process: 'catalog', values: null, vector: {} },
        ],
        missingEvents: [
          { process: 'catalog', origin: 'inventory', from: 1, to: 1 },
          { process: 'catalog', origin: 'legacy-monolith', from: 1, to: 4 },
        ],
      }),
    );
    expect(line).toBe(
      `products product ${ID}: missing at catalog | legacy-monolith sku="S" vector {inventory:1 legacy-monolith:4} | ` +
        'catalog missing vector {} | catalog has not applied inventory 1, catalog has not applied legacy-monolith 1-4',
    );
  });

  it.each([
    [
      report([kind('wallets', 1), kind('products', 3)]),
      'All equal: wallets 1 customer on legacy-monolith, payments; products 3 products on legacy-monolith, catalog.',
    ],
    [
      report([kind('wallets', 2), kind('products', 3, [difference()])], 3),
      '1 difference: wallets 0 of 2 customers, products 1 of 3 products (after 3 checks in 1.2 s).',
    ],
  ])('sums up', (result, line) => {
    expect(formatSummary(result)).toBe(line);
  });

  it('says what --wait does next', () => {
    expect(formatRetry(report([kind('wallets', 2), kind('products', 3, [difference(), difference()])]), 2_950)).toBe(
      'check 1: 2 differences (products 2); checking again for up to 3.0 s',
    );
  });

  it('writes vectors in origin order', () => {
    expect(formatVector({ payments: 1, 'legacy-monolith': 3 })).toBe('{legacy-monolith:3 payments:1}');
  });
});

describe('the JSON output', () => {
  it('is one line with the counts per kind and every difference', () => {
    const json = formatJson(report([kind('products', 3, [difference()])]));
    expect(json).not.toContain('\n');
    expect(JSON.parse(json)).toEqual({
      equal: false,
      checks: 1,
      elapsedMs: 1_234,
      kinds: {
        products: { aggregateType: 'product', sides: ['legacy-monolith', 'catalog'], compared: 3, differences: 1 },
      },
      differences: [difference()],
    });
  });
});

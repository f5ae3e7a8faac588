import { compareKind, missingEvents, toFieldValues } from './compare-kind';
import { AGGREGATE_KINDS } from './kinds';
import type { FieldValues, VersionVector } from './sync-report';

const WALLETS = AGGREGATE_KINDS.find((kind) => kind.name === 'wallets')!;
const PRODUCTS = AGGREGATE_KINDS.find((kind) => kind.name === 'products')!;
const A = '00000000-0000-4000-8000-00000000000a';
const B = '00000000-0000-4000-8000-00000000000b';

const side = (process: string, rows: Record<string, FieldValues>, vectors: Record<string, VersionVector> = {}) => ({
  process,
  rows: new Map(Object.entries(rows)),
  vectors: new Map(Object.entries(vectors)),
});

describe('compareKind', () => {
  it('finds nothing when every side holds the same values', () => {
    const result = compareKind(WALLETS, [
      side('legacy-monolith', { [A]: { balanceCents: 100 }, [B]: { balanceCents: 0 } }),
      side('payments', { [B]: { balanceCents: 0 }, [A]: { balanceCents: 100 } }),
    ]);
    expect(result).toEqual({
      kind: 'wallets',
      aggregateType: 'customer',
      sides: ['legacy-monolith', 'payments'],
      compared: 2,
      differences: [],
    });
  });

  it('reports a value that differs, with each side and its vector', () => {
    const result = compareKind(WALLETS, [
      side('legacy-monolith', { [A]: { balanceCents: 150 } }, { [A]: { 'legacy-monolith': 3 } }),
      side('payments', { [A]: { balanceCents: 100 } }, { [A]: { 'legacy-monolith': 2 } }),
    ]);
    expect(result.differences).toEqual([
      {
        kind: 'wallets',
        aggregateType: 'customer',
        aggregateId: A,
        fields: ['balanceCents'],
        missingAt: [],
        sides: [
          { process: 'legacy-monolith', values: { balanceCents: 150 }, vector: { 'legacy-monolith': 3 } },
          { process: 'payments', values: { balanceCents: 100 }, vector: { 'legacy-monolith': 2 } },
        ],
        missingEvents: [{ process: 'payments', origin: 'legacy-monolith', from: 3, to: 3 }],
      },
    ]);
  });

  it('reports an aggregate a side lacks, whichever side holds it, with every field', () => {
    const product = { sku: 'S', name: 'N', priceCents: 1, createdAt: 'c', updatedAt: 'u' };
    const result = compareKind(PRODUCTS, [side('legacy-monolith', {}), side('catalog', { [A]: product })]);
    expect(result.compared).toBe(1);
    expect(result.differences).toMatchObject([
      {
        aggregateId: A,
        missingAt: ['legacy-monolith'],
        fields: ['sku', 'name', 'priceCents', 'createdAt', 'updatedAt'],
      },
    ]);
    expect(result.differences[0]?.sides[0]).toEqual({ process: 'legacy-monolith', values: null, vector: {} });
  });

  it('names only the fields that differ', () => {
    const product = { sku: 'S', name: 'N', priceCents: 1, createdAt: 'c', updatedAt: 'u' };
    const result = compareKind(PRODUCTS, [
      side('legacy-monolith', { [A]: product }),
      side('catalog', { [A]: { ...product, name: 'M', priceCents: 2 } }),
    ]);
    expect(result.differences.map((difference) => difference.fields)).toEqual([['name', 'priceCents']]);
  });
});

describe('missingEvents', () => {
  it.each([
    ['equal vectors', [{ a: 2 }, { a: 2 }], []],
    [
      'one side behind',
      [
        { a: 3, b: 1 },
        { a: 1, b: 1 },
      ],
      [{ process: 'y', origin: 'a', from: 2, to: 3 }],
    ],
    [
      'an origin a side never saw',
      [{ a: 1 }, { b: 2 }],
      [
        { process: 'y', origin: 'a', from: 1, to: 1 },
        { process: 'x', origin: 'b', from: 1, to: 2 },
      ],
    ],
  ])('%s', (_case, [x, y], expected) => {
    const states = [
      { process: 'x', values: null, vector: x as VersionVector },
      { process: 'y', values: null, vector: y as VersionVector },
    ];
    expect(missingEvents(states)).toEqual(expected);
  });
});

describe('toFieldValues', () => {
  it('reads bigint text as numbers and ids in lower case', () => {
    const values = toFieldValues(WALLETS.fields, [{ id: A.toUpperCase(), balanceCents: '12345678901' }]);
    expect([...values]).toEqual([[A, { balanceCents: 12_345_678_901 }]]);
  });
});

import { formatJson, formatRepair } from './report-format';
import { planRepair } from './repair';
import type { Difference, SyncReport } from './sync-report';

const WALLET = '0b6f2a4e-3f0c-4b8e-9f61-2d1c5e7a9b10';
const PRODUCT = '7d1e0c52-8a4b-4c3d-9e2f-1a0b9c8d7e6f';

function wallet(missingEvents: Difference['missingEvents']): Difference {
  return {
    kind: 'wallets',
    aggregateType: 'customer',
    aggregateId: WALLET,
    fields: ['balanceCents'],
    missingAt: [],
    sides: [
      { process: 'legacy-monolith', values: { balanceCents: 1_500 }, vector: { payments: 4 } },
      { process: 'payments', values: { balanceCents: 1_000 }, vector: { payments: 4 } },
    ],
    missingEvents,
  };
}

function stock(missingEvents: Difference['missingEvents']): Difference {
  return {
    kind: 'stock',
    aggregateType: 'product',
    aggregateId: PRODUCT,
    fields: ['stock'],
    missingAt: [],
    sides: [],
    missingEvents,
  };
}

function report(...differences: Difference[]): SyncReport {
  const kinds = ['wallets', 'stock'].map((kind) => ({
    kind,
    aggregateType: kind === 'wallets' ? 'customer' : 'product',
    sides: [],
    compared: 3,
    differences: differences.filter((difference) => difference.kind === kind),
  }));
  return { equal: differences.length === 0, kinds, checks: 1, elapsedMs: 5 };
}

describe('--repair', () => {
  it('asks each origin once per aggregate, from the lowest sequence any side lacks', () => {
    const plan = planRepair(
      report(
        stock([
          { process: 'catalog', origin: 'inventory', from: 7, to: 9 },
          { process: 'legacy-monolith', origin: 'inventory', from: 5, to: 9 },
          { process: 'inventory', origin: 'legacy-monolith', from: 2, to: 2 },
        ]),
      ),
    );
    expect(plan).toEqual({
      requests: [
        {
          origin: 'inventory',
          aggregateType: 'product',
          aggregateId: PRODUCT,
          fromSequence: 5,
          for: ['catalog', 'legacy-monolith'],
        },
        {
          origin: 'legacy-monolith',
          aggregateType: 'product',
          aggregateId: PRODUCT,
          fromSequence: 2,
          for: ['inventory'],
        },
      ],
      unrepairable: [],
    });
  });

  it('does not ask for a difference whose sides applied the same events, and says why', () => {
    const equalVectors = wallet([]);
    const plan = planRepair(report(equalVectors));
    expect(plan).toEqual({ requests: [], unrepairable: [equalVectors] });
    expect(formatRepair(plan)).toEqual([
      `Cannot repair wallets customer ${WALLET} by a resend: every side applied the same events, so a write ` +
        'outside the events changed one side; correct it there.',
    ]);
  });

  it('prints each request, and puts the plan in the JSON line', () => {
    const plan = planRepair(report(wallet([{ process: 'legacy-monolith', origin: 'payments', from: 3, to: 4 }])));
    expect(formatRepair(plan)).toEqual([
      `Asked payments to send customer ${WALLET} again from 3 (for legacy-monolith).`,
    ]);
    expect(JSON.parse(formatJson(report(), plan))).toMatchObject({
      equal: true,
      repair: {
        requests: [{ origin: 'payments', aggregateType: 'customer', aggregateId: WALLET, fromSequence: 3 }],
        unrepairable: [],
      },
    });
  });

  it('plans nothing when every side is equal', () => {
    expect(planRepair(report())).toEqual({ requests: [], unrepairable: [] });
  });
});

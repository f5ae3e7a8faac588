import { changed, problemsOf } from '../../test/problems';
import type { IntegrationEventDefinition } from '../registry';
import { INTEGRATION_EVENTS } from '../registry';
import { CustomerRegistered } from './customer-registered.event';
import { CustomerSnapshot } from './customer-snapshot.event';
import { OrderCancelled } from './order-cancelled.event';
import { OrderPlaced } from './order-placed.event';
import { ProductCreated } from './product-created.event';
import { ProductSnapshot } from './product-snapshot.event';
import { ProductUpdated } from './product-updated.event';
import { StockAdjusted } from './stock-adjusted.event';
import { StockSnapshot } from './stock-snapshot.event';
import { WalletCredited } from './wallet-credited.event';
import { WalletDebited } from './wallet-debited.event';
import { WalletSnapshot } from './wallet-snapshot.event';

const OTHER_ID = '11111111-2222-4333-8444-555555555555';
const sequenced = INTEGRATION_EVENTS.filter((definition) => definition.kind === 'event');
const snapshots = INTEGRATION_EVENTS.filter((definition) => definition.kind === 'snapshot');

type Change = Parameters<typeof changed>[1];
type Case = readonly [name: string, change: Change, problem: string];

async function expectProblem(definition: IntegrationEventDefinition, change: Change, problem: string) {
  const problems = await problemsOf(definition.schema, changed(definition.example, change));
  expect(problems).toContainEqual(expect.stringContaining(problem));
}

describe('valid examples', () => {
  it.each(INTEGRATION_EVENTS.map((definition) => [definition.pattern, definition] as const))(
    '%s: its example passes',
    async (_pattern, definition) => {
      expect(await problemsOf(definition.schema, definition.example)).toEqual([]);
    },
  );

  it.each(INTEGRATION_EVENTS.map((definition) => [definition.pattern, definition] as const))(
    '%s: ids in upper case pass and come out lower case',
    (_pattern, definition) => {
      const upper = JSON.parse(
        JSON.stringify(definition.example).replace(/"[0-9a-f]{8}-[0-9a-f-]{27}"/g, (id) => id.toUpperCase()),
      );
      expect(definition.schema.parse(upper)).toEqual(definition.schema.parse(definition.example));
    },
  );
});

describe('unknown fields', () => {
  it.each(INTEGRATION_EVENTS.map((definition) => [definition.pattern, definition] as const))(
    '%s: an unknown top-level field is rejected',
    async (_pattern, definition) => {
      await expectProblem(definition, (data) => (data.extra = 1), 'Unrecognized key: "extra"');
    },
  );

  const nested: readonly (readonly [IntegrationEventDefinition, string, Change])[] = [
    [OrderPlaced, 'items.0', (data) => (data.items[0].discount = 1)],
    [OrderCancelled, 'items.0', (data) => (data.items[0].discount = 1)],
    [ProductUpdated, 'changes', (data) => (data.changes.stock = 1)],
  ];
  it.each(nested.map(([definition, path, change]) => [definition.pattern, path, definition, change] as const))(
    '%s: an unknown field inside %s is rejected',
    async (_pattern, path, definition, change) => {
      await expectProblem(definition, change, `${path}: Unrecognized key`);
    },
  );
});

const headerCases: readonly Case[] = [
  ['id not a UUID', (data) => (data.id = 'not-a-uuid'), 'id: must be a UUID'],
  ['schemaVersion 2', (data) => (data.schemaVersion = 2), 'schemaVersion: '],
  ['occurredAt without milliseconds', (data) => (data.occurredAt = '2026-11-22T04:00:00Z'), 'occurredAt: must be'],
  ['occurredAt with an offset', (data) => (data.occurredAt = '2026-11-22T04:00:00.000+00:00'), 'occurredAt: must be'],
  ['occurredAt a date only', (data) => (data.occurredAt = '2026-11-22'), 'occurredAt: must be'],
  ['occurredAt on 30 February', (data) => (data.occurredAt = '2026-02-30T04:00:00.000Z'), 'occurredAt: must be'],
  ['occurredAt as a number', (data) => (data.occurredAt = 1_790_000_000_000), 'occurredAt: '],
  ['origin in upper case', (data) => (data.origin = 'Payments'), 'origin: must be 1 to 100'],
  ['origin starting with -', (data) => (data.origin = '-payments'), 'origin: must be 1 to 100'],
  ['origin of 101 characters', (data) => (data.origin = 'a'.repeat(101)), 'origin: must be 1 to 100'],
  ['origin empty', (data) => (data.origin = ''), 'origin: must be 1 to 100'],
  ['aggregateId missing', (data) => delete data.aggregateId, 'aggregateId: '],
  ['aggregateId another id', (data) => (data.aggregateId = OTHER_ID), 'must equal aggregateId'],
];

describe.each(INTEGRATION_EVENTS.map((definition) => [definition.pattern, definition] as const))(
  '%s header',
  (_pattern, definition) => {
    it.each(headerCases)('rejects %s', async (_name, change, problem) => {
      await expectProblem(definition, change, problem);
    });
  },
);

describe.each(sequenced.map((definition) => [definition.pattern, definition] as const))(
  '%s sequence',
  (_pattern, definition) => {
    it.each([
      ['sequence 0', (data) => (data.sequence = 0), 'sequence: '],
      ['sequence 1.5', (data) => (data.sequence = 1.5), 'sequence: '],
      ['sequence missing', (data) => delete data.sequence, 'sequence: '],
      ['sequences instead', (data) => (data.sequences = { a: 1 }), 'Unrecognized key: "sequences"'],
    ] as readonly Case[])('rejects %s', async (_name, change, problem) => {
      await expectProblem(definition, change, problem);
    });
  },
);

describe.each(snapshots.map((definition) => [definition.pattern, definition] as const))(
  '%s sequences',
  (_pattern, definition) => {
    it.each([
      ['a sequence field', (data) => (data.sequence = 1), 'Unrecognized key: "sequence"'],
      ['sequences missing', (data) => delete data.sequences, 'sequences: '],
      ['a negative sequence', (data) => (data.sequences = { payments: -1 }), 'sequences.payments: '],
      ['a fractional sequence', (data) => (data.sequences = { payments: 0.5 }), 'sequences.payments: '],
      ['an origin name in upper case', (data) => (data.sequences = { Payments: 1 }), 'sequences.Payments: '],
    ] as readonly Case[])('rejects %s', async (_name, change, problem) => {
      await expectProblem(definition, change, problem);
    });

    it('takes an empty record (the state reflects no event yet)', async () => {
      expect(
        await problemsOf(
          definition.schema,
          changed(definition.example, (data) => (data.sequences = {})),
        ),
      ).toEqual([]);
    });
  },
);

const payloadCases: readonly (readonly [IntegrationEventDefinition, string, Change, string])[] = [
  [
    CustomerRegistered,
    'customerId not the aggregate',
    (d) => (d.customerId = OTHER_ID),
    'customerId: must equal aggregateId',
  ],
  [CustomerRegistered, 'empty name', (d) => (d.name = ''), 'name: '],
  [CustomerRegistered, 'name of 101', (d) => (d.name = 'x'.repeat(101)), 'name: '],
  [CustomerRegistered, 'email not an email', (d) => (d.email = 'ada'), 'email: '],
  [CustomerRegistered, 'email in upper case', (d) => (d.email = 'Ada@example.com'), 'email: must be lower case'],
  [CustomerRegistered, 'negative balance', (d) => (d.balanceCents = -1), 'balanceCents: '],
  [CustomerRegistered, 'fractional balance', (d) => (d.balanceCents = 1.5), 'balanceCents: '],
  [CustomerRegistered, 'createdAt not ISO', (d) => (d.createdAt = 'yesterday'), 'createdAt: must be'],
  [CustomerRegistered, 'a password', (d) => (d.passwordHash = 'x'), 'Unrecognized key: "passwordHash"'],

  [WalletCredited, 'customerId not the aggregate', (d) => (d.customerId = OTHER_ID), 'customerId: must equal'],
  [WalletCredited, 'amount 0', (d) => (d.amountCents = 0), 'amountCents: '],
  [WalletCredited, 'negative balance', (d) => (d.balanceCents = -1), 'balanceCents: '],
  [WalletCredited, 'reason order', (d) => (d.reason = 'order'), 'reason: '],
  [WalletCredited, 'deposit with an order', (d) => (d.orderId = OTHER_ID), 'orderId: must be null for a deposit'],
  [WalletCredited, 'refund without an order', (d) => (d.reason = 'refund'), 'orderId: must name the order'],
  [WalletCredited, 'orderId missing', (d) => delete d.orderId, 'orderId: '],

  [WalletDebited, 'customerId not the aggregate', (d) => (d.customerId = OTHER_ID), 'customerId: must equal'],
  [WalletDebited, 'amount 0', (d) => (d.amountCents = 0), 'amountCents: '],
  [WalletDebited, 'negative balance', (d) => (d.balanceCents = -5), 'balanceCents: '],
  [WalletDebited, 'reason deposit', (d) => (d.reason = 'deposit'), 'reason: '],
  [WalletDebited, 'orderId null', (d) => (d.orderId = null), 'orderId: '],

  [ProductCreated, 'productId not the aggregate', (d) => (d.productId = OTHER_ID), 'productId: must equal'],
  [ProductCreated, 'sku in lower case', (d) => (d.sku = 'mug-001'), 'sku: must be 1 to 64'],
  [ProductCreated, 'sku of 65', (d) => (d.sku = 'A'.repeat(65)), 'sku: must be 1 to 64'],
  [ProductCreated, 'empty name', (d) => (d.name = ''), 'name: '],
  [ProductCreated, 'name of 201', (d) => (d.name = 'x'.repeat(201)), 'name: '],
  [ProductCreated, 'negative price', (d) => (d.priceCents = -1), 'priceCents: '],
  [ProductCreated, 'negative stock', (d) => (d.stock = -1), 'stock: '],
  [ProductCreated, 'updatedAt missing', (d) => delete d.updatedAt, 'updatedAt: '],

  [ProductUpdated, 'productId not the aggregate', (d) => (d.productId = OTHER_ID), 'productId: must equal'],
  [ProductUpdated, 'no changes', (d) => (d.changes = {}), 'changes: must change name or priceCents'],
  [
    ProductUpdated,
    'a changed price unlike the result',
    (d) => (d.changes.priceCents = 1),
    'changes.priceCents: must equal',
  ],
  [
    ProductUpdated,
    'a changed name unlike the result',
    (d) => (d.changes = { name: 'Mug' }),
    'changes.name: must equal',
  ],
  [ProductUpdated, 'a changed negative price', (d) => (d.changes.priceCents = -1), 'changes.priceCents: '],
  [ProductUpdated, 'an empty changed name', (d) => (d.changes = { name: '' }), 'changes.name: '],
  [ProductUpdated, 'a resulting name of 201', (d) => (d.name = 'x'.repeat(201)), 'name: '],
  [ProductUpdated, 'updatedAt not ISO', (d) => (d.updatedAt = '2026-11-22 05:00'), 'updatedAt: must be'],

  [StockAdjusted, 'productId not the aggregate', (d) => (d.productId = OTHER_ID), 'productId: must equal'],
  [StockAdjusted, 'delta 0', (d) => (d.delta = 0), 'delta: must not be 0'],
  [StockAdjusted, 'fractional delta', (d) => (d.delta = -1.5), 'delta: '],
  [StockAdjusted, 'negative stock', (d) => (d.stock = -1), 'stock: '],
  [StockAdjusted, 'reason sale', (d) => (d.reason = 'sale'), 'reason: '],
  [StockAdjusted, 'empty note', (d) => (d.note = ''), 'note: '],
  [StockAdjusted, 'note of 201', (d) => (d.note = 'x'.repeat(201)), 'note: '],
  [StockAdjusted, 'order without orderId', (d) => (d.orderId = null), 'orderId: must name the order of an order'],
  [
    StockAdjusted,
    'cancellation without orderId',
    (d) => Object.assign(d, { reason: 'cancellation', delta: 2, orderId: null }),
    'orderId: must name the order of a cancellation',
  ],
  [
    StockAdjusted,
    'adjustment with an orderId',
    (d) => (d.reason = 'adjustment'),
    'orderId: must be null for an adjustment',
  ],
  [StockAdjusted, 'order putting stock back', (d) => (d.delta = 2), 'delta: must be negative for an order'],
  [
    StockAdjusted,
    'cancellation taking stock',
    (d) => (d.reason = 'cancellation'),
    'delta: must be positive for a cancellation',
  ],

  [OrderPlaced, 'orderId not the aggregate', (d) => (d.orderId = OTHER_ID), 'orderId: must equal aggregateId'],
  [OrderPlaced, 'customerId not a UUID', (d) => (d.customerId = 'x'), 'customerId: must be a UUID'],
  [OrderPlaced, 'no items', (d) => (d.items = []), 'items: '],
  [OrderPlaced, '51 items', (d) => (d.items = many(51)), 'items: '],
  [OrderPlaced, 'quantity 0', (d) => (d.items[0].quantity = 0), 'items.0.quantity: '],
  [OrderPlaced, 'quantity 101', (d) => (d.items[0].quantity = 101), 'items.0.quantity: '],
  [OrderPlaced, 'negative unit price', (d) => (d.items[0].unitPriceCents = -1), 'items.0.unitPriceCents: '],
  [OrderPlaced, 'productId not a UUID', (d) => (d.items[0].productId = 'mug'), 'items.0.productId: must be a UUID'],
  [OrderPlaced, 'a product twice', (d) => d.items.push({ ...d.items[0] }), 'items.1.productId: must not repeat'],
  [
    OrderPlaced,
    'a product twice in other cases',
    (d) => d.items.push({ ...d.items[0], productId: d.items[0].productId.toUpperCase() }),
    'items.1.productId: must not repeat',
  ],
  [
    OrderPlaced,
    'a total unlike the items',
    (d) => (d.totalCents = 1),
    'totalCents: must be the sum of the items (2400)',
  ],
  [OrderPlaced, 'status PENDING', (d) => (d.status = 'PENDING'), 'status: '],
  [OrderPlaced, 'approved with a reason', (d) => (d.rejectionReason = 'OUT_OF_STOCK'), 'rejectionReason: must be null'],
  [OrderPlaced, 'rejected without a reason', (d) => (d.status = 'REJECTED'), 'rejectionReason: must say why'],
  [
    OrderPlaced,
    'an unknown rejection reason',
    (d) => Object.assign(d, { status: 'REJECTED', rejectionReason: 'BANNED' }),
    'rejectionReason: ',
  ],

  [OrderCancelled, 'orderId not the aggregate', (d) => (d.orderId = OTHER_ID), 'orderId: must equal aggregateId'],
  [OrderCancelled, 'no items', (d) => (d.items = []), 'items: '],
  [OrderCancelled, 'a product twice', (d) => d.items.push({ ...d.items[0] }), 'items.1.productId: must not repeat'],
  [OrderCancelled, 'a total unlike the items', (d) => (d.totalCents = 0), 'totalCents: must be the sum'],
  [OrderCancelled, 'cancelledAt missing', (d) => delete d.cancelledAt, 'cancelledAt: '],
  [OrderCancelled, 'a status', (d) => (d.status = 'CANCELLED'), 'Unrecognized key: "status"'],

  [CustomerSnapshot, 'customerId not the aggregate', (d) => (d.customerId = OTHER_ID), 'customerId: must equal'],
  [CustomerSnapshot, 'email in upper case', (d) => (d.email = 'ADA@EXAMPLE.COM'), 'email: must be lower case'],
  [CustomerSnapshot, 'negative balance', (d) => (d.balanceCents = -1), 'balanceCents: '],

  [ProductSnapshot, 'productId not the aggregate', (d) => (d.productId = OTHER_ID), 'productId: must equal'],
  [ProductSnapshot, 'sku with a space', (d) => (d.sku = 'MUG 1'), 'sku: must be 1 to 64'],
  [ProductSnapshot, 'negative stock', (d) => (d.stock = -1), 'stock: '],
  [ProductSnapshot, 'fractional price', (d) => (d.priceCents = 0.5), 'priceCents: '],

  [WalletSnapshot, 'customerId not the aggregate', (d) => (d.customerId = OTHER_ID), 'customerId: must equal'],
  [WalletSnapshot, 'negative balance', (d) => (d.balanceCents = -1), 'balanceCents: '],

  [StockSnapshot, 'productId not the aggregate', (d) => (d.productId = OTHER_ID), 'productId: must equal'],
  [StockSnapshot, 'negative stock', (d) => (d.stock = -1), 'stock: '],
];

function many(count: number) {
  return Array.from({ length: count }, (_, index) => ({
    productId: `00000000-0000-4000-8000-${String(index).padStart(12, '0')}`,
    quantity: 1,
    unitPriceCents: 0,
  }));
}

describe('payload rules', () => {
  it.each(
    payloadCases.map(
      ([definition, name, change, problem]) => [definition.pattern, name, definition, change, problem] as const,
    ),
  )('%s rejects %s', async (_pattern, _name, definition, change, problem) => {
    await expectProblem(definition, change, problem);
  });

  it('covers every event', () => {
    const covered = new Set(payloadCases.map(([definition]) => definition.pattern));
    expect([...covered].sort()).toEqual(INTEGRATION_EVENTS.map((definition) => definition.pattern).sort());
  });

  const accepted: readonly (readonly [string, IntegrationEventDefinition, Change])[] = [
    [
      'wallet.credited refund with its order',
      WalletCredited,
      (d) => Object.assign(d, { reason: 'refund', orderId: OTHER_ID }),
    ],
    [
      'stock.adjusted adjustment down',
      StockAdjusted,
      (d) => Object.assign(d, { reason: 'adjustment', orderId: null, note: 'broken' }),
    ],
    [
      'stock.adjusted cancellation',
      StockAdjusted,
      (d) => Object.assign(d, { reason: 'cancellation', delta: 2, stock: 10 }),
    ],
    [
      'order.placed rejected',
      OrderPlaced,
      (d) => Object.assign(d, { status: 'REJECTED', rejectionReason: 'INSUFFICIENT_FUNDS' }),
    ],
    ['order.placed of 50 free items', OrderPlaced, (d) => Object.assign(d, { items: many(50), totalCents: 0 })],
    ['product.updated of both fields', ProductUpdated, (d) => (d.changes = { name: 'Ficus mug', priceCents: 1_500 })],
  ];
  it.each(accepted)('accepts %s', async (_name, definition, change) => {
    expect(await problemsOf(definition.schema, changed(definition.example, change))).toEqual([]);
  });
});

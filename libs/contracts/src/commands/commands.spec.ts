import { changed, problemsOf } from '../../test/problems';
import type { SagaCommandDefinition } from '../registry';
import { SAGA_COMMANDS } from '../registry';
import { ChargeWallet } from './charge-wallet.command';
import { RefundWallet } from './refund-wallet.command';
import { ReleaseStock } from './release-stock.command';
import { ReserveStock } from './reserve-stock.command';

type Change = Parameters<typeof changed>[1];
const PRODUCT = 'a1b2c3d4-e5f6-4a7b-8c9d-0e1f2a3b4c5d';
const byPattern = SAGA_COMMANDS.map((definition) => [definition.pattern, definition] as const);

describe('valid examples', () => {
  it.each(byPattern)('%s: its request passes', async (_pattern, definition) => {
    expect(await problemsOf(definition.requestSchema, definition.example.request)).toEqual([]);
  });

  it.each(
    SAGA_COMMANDS.flatMap((definition) =>
      definition.example.replies.map(
        (reply) => [definition.pattern, JSON.stringify(reply), definition, reply] as const,
      ),
    ),
  )('%s: reply %s passes', async (_pattern, _text, definition, reply) => {
    expect(await problemsOf(definition.replySchema, reply)).toEqual([]);
  });

  it.each(byPattern)('%s: has an example of every reply status', (_pattern, definition) => {
    const statuses = new Set(definition.example.replies.map((reply) => reply.status));
    expect(statuses.size).toBeGreaterThanOrEqual(2);
  });
});

describe.each(byPattern)('%s request', (_pattern, definition) => {
  it.each([
    ['an unknown field', (d) => (d.extra = true), 'Unrecognized key: "extra"'],
    ['commandId not a UUID', (d) => (d.commandId = '42'), 'commandId: must be a UUID'],
    ['schemaVersion 2', (d) => (d.schemaVersion = 2), 'schemaVersion: '],
    ['issuedAt without milliseconds', (d) => (d.issuedAt = '2026-11-22T04:10:00Z'), 'issuedAt: must be'],
    ['origin in upper case', (d) => (d.origin = 'Orders'), 'origin: must be 1 to 100'],
    ['orderId not a UUID', (d) => (d.orderId = 'order-1'), 'orderId: must be a UUID'],
    ['orderId missing', (d) => delete d.orderId, 'orderId: '],
  ] as readonly (readonly [string, Change, string])[])('rejects %s', async (_name, change, problem) => {
    const problems = await problemsOf(definition.requestSchema, changed(definition.example.request, change));
    expect(problems).toContainEqual(expect.stringContaining(problem));
  });
});

const requestCases: readonly (readonly [SagaCommandDefinition, string, Change, string])[] = [
  [ReserveStock, 'no items', (d) => (d.items = []), 'items: '],
  [ReserveStock, 'quantity 0', (d) => (d.items[0].quantity = 0), 'items.0.quantity: '],
  [ReserveStock, 'quantity 101', (d) => (d.items[0].quantity = 101), 'items.0.quantity: '],
  [ReserveStock, 'a price', (d) => (d.items[0].unitPriceCents = 1), 'items.0: Unrecognized key'],
  [
    ReserveStock,
    'a product twice',
    (d) => d.items.push({ productId: PRODUCT, quantity: 1 }),
    'items.1.productId: must not repeat',
  ],
  [ReserveStock, '51 items', (d) => (d.items = ids(51).map((productId) => ({ productId, quantity: 1 }))), 'items: '],
  [ChargeWallet, 'amount 0', (d) => (d.amountCents = 0), 'amountCents: '],
  [ChargeWallet, 'fractional amount', (d) => (d.amountCents = 10.5), 'amountCents: '],
  [ChargeWallet, 'customerId missing', (d) => delete d.customerId, 'customerId: '],
  [RefundWallet, 'an amount', (d) => (d.amountCents = 10), 'Unrecognized key: "amountCents"'],
  [RefundWallet, 'customerId not a UUID', (d) => (d.customerId = 'ada'), 'customerId: must be a UUID'],
  [ReleaseStock, 'items', (d) => (d.items = []), 'Unrecognized key: "items"'],
];

const replyCases: readonly (readonly [SagaCommandDefinition, string, unknown, string])[] = [
  [ReserveStock, 'an unknown status', { status: 'PARTIAL' }, 'status: '],
  [ReserveStock, 'RESERVED without items', { status: 'RESERVED', items: [] }, 'items: '],
  [
    ReserveStock,
    'RESERVED with negative stock',
    { status: 'RESERVED', items: [{ productId: PRODUCT, quantity: 1, stock: -1 }] },
    'items.0.stock: ',
  ],
  [
    ReserveStock,
    'RESERVED without stock',
    { status: 'RESERVED', items: [{ productId: PRODUCT, quantity: 1 }] },
    'items.0.stock: ',
  ],
  [
    ReserveStock,
    'REJECTED for another reason',
    { status: 'REJECTED', reason: 'LOCKED', productIds: [PRODUCT] },
    'reason: ',
  ],
  [
    ReserveStock,
    'REJECTED naming no product',
    { status: 'REJECTED', reason: 'OUT_OF_STOCK', productIds: [] },
    'productIds: ',
  ],
  [
    ReserveStock,
    'REJECTED naming a product twice',
    { status: 'REJECTED', reason: 'OUT_OF_STOCK', productIds: [PRODUCT, PRODUCT] },
    'productIds.1: must not repeat',
  ],
  [
    ReserveStock,
    'REJECTED naming a non-UUID',
    { status: 'REJECTED', reason: 'PRODUCT_NOT_FOUND', productIds: ['mug'] },
    'productIds.0: must be a UUID',
  ],
  [
    ReserveStock,
    'REJECTED with items',
    { status: 'REJECTED', reason: 'OUT_OF_STOCK', productIds: [PRODUCT], items: [] },
    'Unrecognized key: "items"',
  ],
  [ReleaseStock, 'an unknown status', { status: 'DONE' }, 'status: '],
  [ReleaseStock, 'an unknown field', { status: 'RELEASED', items: [] }, 'Unrecognized key: "items"'],
  [ChargeWallet, 'CHARGED without balance', { status: 'CHARGED' }, 'balanceCents: '],
  [ChargeWallet, 'CHARGED with negative balance', { status: 'CHARGED', balanceCents: -1 }, 'balanceCents: '],
  [ChargeWallet, 'REJECTED for another reason', { status: 'REJECTED', reason: 'FROZEN' }, 'reason: '],
  [
    ChargeWallet,
    'REJECTED with a balance',
    { status: 'REJECTED', reason: 'INSUFFICIENT_FUNDS', balanceCents: 1 },
    'Unrecognized key: "balanceCents"',
  ],
  [RefundWallet, 'REFUNDED without balance', { status: 'REFUNDED', balanceCents: null }, 'balanceCents: '],
  [
    RefundWallet,
    'NOTHING_TO_REFUND with a negative balance',
    { status: 'NOTHING_TO_REFUND', balanceCents: -1 },
    'balanceCents: ',
  ],
  [RefundWallet, 'an unknown status', { status: 'PARTIAL', balanceCents: 1 }, 'status: '],
];

function ids(count: number): string[] {
  return Array.from({ length: count }, (_, index) => `00000000-0000-4000-8000-${String(index).padStart(12, '0')}`);
}

describe('request rules', () => {
  it.each(requestCases.map(([definition, ...rest]) => [definition.pattern, ...rest, definition] as const))(
    '%s rejects %s',
    async (_pattern, _name, change, problem, definition) => {
      const problems = await problemsOf(definition.requestSchema, changed(definition.example.request, change));
      expect(problems).toContainEqual(expect.stringContaining(problem));
    },
  );

  it('inventory.reserve-stock takes 50 different products', async () => {
    const request = changed(
      ReserveStock.example.request,
      (d) => (d.items = ids(50).map((productId) => ({ productId, quantity: 100 }))),
    );
    expect(await problemsOf(ReserveStock.requestSchema, request)).toEqual([]);
  });
});

describe('reply rules', () => {
  it.each(replyCases.map(([definition, ...rest]) => [definition.pattern, ...rest, definition] as const))(
    '%s rejects %s',
    async (_pattern, _name, reply, problem, definition) => {
      expect(await problemsOf(definition.replySchema, reply)).toContainEqual(expect.stringContaining(problem));
    },
  );

  it('payments.refund-wallet: NOTHING_TO_REFUND may carry the current balance', async () => {
    expect(await problemsOf(RefundWallet.replySchema, { status: 'NOTHING_TO_REFUND', balanceCents: 700 })).toEqual([]);
  });

  it('inventory.reserve-stock: a REJECTED reply comes out with lower-case ids', () => {
    const reply = ReserveStock.replySchema.parse({
      status: 'REJECTED',
      reason: 'PRODUCT_NOT_FOUND',
      productIds: [PRODUCT.toUpperCase()],
    });
    expect(reply).toEqual({ status: 'REJECTED', reason: 'PRODUCT_NOT_FOUND', productIds: [PRODUCT] });
  });
});

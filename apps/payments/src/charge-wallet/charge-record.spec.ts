import { randomUUID } from 'node:crypto';
import { ChargeWallet, type ChargeWalletRequest, WalletDebited } from '@app/contracts';
import { assertSameCharge, canPay, chargeRecord, chargeReplyOf, settledByForeignRefund } from './charge-record';

const request = (overrides: Partial<ChargeWalletRequest> = {}): ChargeWalletRequest => ({
  commandId: randomUUID(),
  schemaVersion: 1,
  issuedAt: '2026-11-22T04:10:00.000Z',
  origin: 'orders',
  orderId: randomUUID(),
  customerId: randomUUID(),
  amountCents: 2_400,
  ...overrides,
});
const at = new Date('2026-11-22T04:10:00.123Z');

describe('charge records', () => {
  it.each([
    [2_400, 2_400, true],
    [2_401, 2_400, true],
    [2_399, 2_400, false],
    [0, 1, false],
  ])('a balance of %d can pay %d: %s', (balance, amount, expected) => {
    expect(canPay(balance, amount)).toBe(expected);
  });

  it('keeps a charge and answers CHARGED with the balance after it, valid by the contract', () => {
    const asked = request();
    const record = chargeRecord(asked, { balanceAfterCents: 2_600 }, at);

    expect(record).toEqual({
      orderId: asked.orderId,
      customerId: asked.customerId,
      amountCents: 2_400,
      status: 'CHARGED',
      rejectionReason: null,
      balanceAfterCents: 2_600,
      chargedAt: at,
      refundedAt: null,
      refundBalanceCents: null,
    });
    const reply = chargeReplyOf(record);
    expect(reply).toEqual({ status: 'CHARGED', balanceCents: 2_600 });
    expect(ChargeWallet.replySchema.safeParse(reply).success).toBe(true);
  });

  it('keeps a rejection and answers REJECTED INSUFFICIENT_FUNDS, valid by the contract', () => {
    const record = chargeRecord(request(), { rejection: 'INSUFFICIENT_FUNDS' }, at);

    expect(record).toMatchObject({
      status: 'REJECTED',
      rejectionReason: 'INSUFFICIENT_FUNDS',
      balanceAfterCents: null,
    });
    const reply = chargeReplyOf(record);
    expect(reply).toEqual({ status: 'REJECTED', reason: 'INSUFFICIENT_FUNDS' });
    expect(ChargeWallet.replySchema.safeParse(reply).success).toBe(true);
  });

  it('accepts a repeat of the same order, customer and amount', () => {
    const asked = request();
    const record = chargeRecord(asked, { balanceAfterCents: 0 }, at);

    const repeat = { ...asked, commandId: randomUUID() };
    expect(() => assertSameCharge(record, repeat)).not.toThrow();
    expect(() => assertSameCharge(record, { orderId: asked.orderId, customerId: asked.customerId })).not.toThrow();
  });

  it.each([
    ['another customer', { customerId: randomUUID() }],
    ['another amount', { amountCents: 2_401 }],
  ])('refuses the same order id for %s with CHARGE_CONFLICT', (_case, change) => {
    const asked = request();
    const record = chargeRecord(asked, { balanceAfterCents: 0 }, at);

    expect(() => assertSameCharge(record, { ...asked, ...change })).toThrow(
      expect.objectContaining({ code: 'CHARGE_CONFLICT' }),
    );
  });

  it("keeps another origin's debit as the CHARGED answer a charge here would have given", () => {
    const debit = WalletDebited.schema.parse(WalletDebited.example);
    const record = chargeRecord(debit, { balanceAfterCents: 2_600 }, at);

    expect(record).toEqual({
      orderId: debit.orderId,
      customerId: debit.customerId,
      amountCents: debit.amountCents,
      status: 'CHARGED',
      rejectionReason: null,
      balanceAfterCents: 2_600,
      chargedAt: at,
      refundedAt: null,
      refundBalanceCents: null,
    });
    expect(chargeReplyOf(record)).toEqual({ status: 'CHARGED', balanceCents: 2_600 });
  });

  describe("settledByForeignRefund: another origin's refund settles", () => {
    const asked = request();
    const charged = chargeRecord(asked, { balanceAfterCents: 2_600 }, at);

    it.each([
      ['a charge not refunded yet, of the same customer', charged, asked.customerId, true],
      ['no charge', null, asked.customerId, false],
      ['a rejected charge', chargeRecord(asked, { rejection: 'INSUFFICIENT_FUNDS' }, at), asked.customerId, false],
      ['a charge refunded already', { ...charged, refundedAt: at, refundBalanceCents: 5_000 }, asked.customerId, false],
      ["another customer's charge", charged, randomUUID(), false],
    ])('%s: %s', (_case, charge, customerId, expected) => {
      expect(settledByForeignRefund(charge, customerId)).toBe(expected);
    });
  });
});

import { z } from 'zod';
import { defineCommand, type CommandReply, type CommandRequest } from '../define-command';
import { Cents, Uuid } from '../primitives';

/** Asks payments to give back what an order was charged (the saga's compensation). */
export const RefundWallet = defineCommand({
  pattern: 'payments.refund-wallet',
  schemaVersion: 1,
  service: 'payments',
  senders: ['orders'],
  description:
    'Credits back what `payments.charge-wallet` debited for `orderId`: `REFUNDED` with the balance after it ' +
    '(a repeat answers the same reply again and changes nothing); `NOTHING_TO_REFUND` when the order was never ' +
    'charged, with the current balance (null when the customer is unknown). Idempotent by `orderId`.',
  request: { orderId: Uuid, customerId: Uuid },
  reply: z.discriminatedUnion('status', [
    z.strictObject({ status: z.literal('REFUNDED'), balanceCents: Cents }),
    z.strictObject({ status: z.literal('NOTHING_TO_REFUND'), balanceCents: Cents.nullable() }),
  ]),
  example: {
    request: {
      commandId: '9b8a7f6e-5d4c-4b32-8a9f-8e7d6c5b4a39',
      schemaVersion: 1,
      issuedAt: '2026-11-22T04:20:00.000Z',
      origin: 'orders',
      orderId: '3f2e1d0c-b9a8-4765-9432-10fedcba9876',
      customerId: '0b6f2a4e-3f0c-4b8e-9f61-2d1c5e7a9b10',
    },
    replies: [
      { status: 'REFUNDED', balanceCents: 5_000 },
      { status: 'NOTHING_TO_REFUND', balanceCents: null },
    ],
  },
});

export type RefundWalletRequest = CommandRequest<typeof RefundWallet>;
export type RefundWalletReply = CommandReply<typeof RefundWallet>;

import { z } from 'zod';
import { defineCommand, type CommandReply, type CommandRequest } from '../define-command';
import { Cents, Uuid } from '../primitives';

/** Asks payments to debit a customer's wallet for an order. */
export const ChargeWallet = defineCommand({
  pattern: 'payments.charge-wallet',
  schemaVersion: 1,
  service: 'payments',
  senders: ['orders'],
  description:
    "Debits `amountCents` from the customer's wallet for `orderId`: `CHARGED` with the balance after it, or " +
    '`REJECTED` (`INSUFFICIENT_FUNDS`, `CUSTOMER_NOT_FOUND`) with nothing debited. Idempotent by `orderId`: ' +
    'asked again for the same order, it answers as the first time and debits nothing more.',
  request: { orderId: Uuid, customerId: Uuid, amountCents: z.int().min(1) },
  reply: z.discriminatedUnion('status', [
    z.strictObject({ status: z.literal('CHARGED'), balanceCents: Cents }),
    z.strictObject({ status: z.literal('REJECTED'), reason: z.enum(['INSUFFICIENT_FUNDS', 'CUSTOMER_NOT_FOUND']) }),
  ]),
  example: {
    request: {
      commandId: '8a7f6e5d-4c3b-4a21-9f8e-7d6c5b4a3928',
      schemaVersion: 1,
      issuedAt: '2026-11-22T04:10:00.000Z',
      origin: 'orders',
      orderId: '3f2e1d0c-b9a8-4765-9432-10fedcba9876',
      customerId: '0b6f2a4e-3f0c-4b8e-9f61-2d1c5e7a9b10',
      amountCents: 2_400,
    },
    replies: [
      { status: 'CHARGED', balanceCents: 2_600 },
      { status: 'REJECTED', reason: 'INSUFFICIENT_FUNDS' },
    ],
  },
});

export type ChargeWalletRequest = CommandRequest<typeof ChargeWallet>;
export type ChargeWalletReply = CommandReply<typeof ChargeWallet>;

import { z } from 'zod';

export const MAX_DEPOSIT_CENTS = 10_000_000;

export const MakeDepositBodySchema = z
  .strictObject({ amountCents: z.int().min(1).max(MAX_DEPOSIT_CENTS) })
  .meta({ id: 'DepositRequest' });

export type MakeDepositBody = z.output<typeof MakeDepositBodySchema>;

export const DepositSchema = z
  .object({ customerId: z.uuid(), amountCents: z.int().min(1), balanceCents: z.int().min(0) })
  .meta({ id: 'Deposit' });

export type DepositView = z.infer<typeof DepositSchema>;

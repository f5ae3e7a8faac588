import type { SchemaOptions } from '@app/database';
import { IDEMPOTENCY_SCHEMA } from '@app/idempotency';
import { OUTBOX_SCHEMA } from '@app/outbox';
import { WalletChargeEntity } from '../wallet/wallet-charge.entity';
import { WalletEntryEntity } from '../wallet/wallet-entry.entity';
import { WalletEntity } from '../wallet/wallet.entity';
import { PaymentsSchema1764400000000 } from './migrations/1764400000000-payments-schema';

/** Payments' own database: wallets, ledger and charges, with idempotency keys, the outbox and the inbox. */
export const PAYMENTS_SCHEMA: SchemaOptions = {
  entities: [
    WalletEntity,
    WalletEntryEntity,
    WalletChargeEntity,
    ...IDEMPOTENCY_SCHEMA.entities,
    ...OUTBOX_SCHEMA.entities,
  ],
  migrations: [PaymentsSchema1764400000000, ...IDEMPOTENCY_SCHEMA.migrations, ...OUTBOX_SCHEMA.migrations],
};

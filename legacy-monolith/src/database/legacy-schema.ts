import type { SchemaOptions } from '@app/database';
import { IDEMPOTENCY_SCHEMA } from '@app/idempotency';
import { OUTBOX_SCHEMA } from '@app/outbox';
import { ProductEntity } from '../catalog/product.entity';
import { StockMovementEntity } from '../catalog/stock-movement.entity';
import { AdminAccountEntity } from '../customers/admin-account/admin-account.entity';
import { CustomerEntity } from '../customers/customer.entity';
import { WalletEntryEntity } from '../customers/wallet-entry.entity';
import { OrderItemEntity } from '../orders/order-item.entity';
import { OrderEntity } from '../orders/order.entity';
import { InitialSchema1763769600000 } from './migrations/1763769600000-initial-schema';

/** The monolith's one database: its entities (with the outbox's and inbox's), and the migrations that build it. */
export const LEGACY_SCHEMA: SchemaOptions = {
  entities: [
    CustomerEntity,
    AdminAccountEntity,
    WalletEntryEntity,
    ProductEntity,
    StockMovementEntity,
    OrderEntity,
    OrderItemEntity,
    ...IDEMPOTENCY_SCHEMA.entities,
    ...OUTBOX_SCHEMA.entities,
  ],
  migrations: [InitialSchema1763769600000, ...IDEMPOTENCY_SCHEMA.migrations, ...OUTBOX_SCHEMA.migrations],
};

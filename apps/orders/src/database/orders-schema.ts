import type { SchemaOptions } from '@app/database';
import { IDEMPOTENCY_SCHEMA } from '@app/idempotency';
import { OUTBOX_SCHEMA } from '@app/outbox';
import { SAGAS_SCHEMA } from '@app/sagas';
import { OrderItemEntity } from '../orders/order-item.entity';
import { OrderEntity } from '../orders/order.entity';
import { ProductPriceEntity } from '../shoppers/product-price.entity';
import { ShopperEntity } from '../shoppers/shopper.entity';
import { OrdersSchema1765400000000 } from './migrations/1765400000000-orders-schema';

/** Orders' own database: orders, prices and customers, with saga instances, idempotency keys, the outbox and the inbox. */
export const ORDERS_SCHEMA: SchemaOptions = {
  entities: [
    OrderEntity,
    OrderItemEntity,
    ProductPriceEntity,
    ShopperEntity,
    ...SAGAS_SCHEMA.entities,
    ...IDEMPOTENCY_SCHEMA.entities,
    ...OUTBOX_SCHEMA.entities,
  ],
  migrations: [
    OrdersSchema1765400000000,
    ...SAGAS_SCHEMA.migrations,
    ...IDEMPOTENCY_SCHEMA.migrations,
    ...OUTBOX_SCHEMA.migrations,
  ],
};

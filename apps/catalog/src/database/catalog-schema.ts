import type { SchemaOptions } from '@app/database';
import { OUTBOX_SCHEMA } from '@app/outbox';
import { ProductEntity } from '../products/product.entity';
import { CatalogSchema1764100000000 } from './migrations/1764100000000-catalog-schema';
import { CatalogProductViews1764900000000 } from './migrations/1764900000000-catalog-product-views';

/** The catalog's database: its read model (`products`, with each product's stored body) with the outbox's and inbox's tables. */
export const CATALOG_SCHEMA: SchemaOptions = {
  entities: [ProductEntity, ...OUTBOX_SCHEMA.entities],
  migrations: [CatalogSchema1764100000000, CatalogProductViews1764900000000, ...OUTBOX_SCHEMA.migrations],
};

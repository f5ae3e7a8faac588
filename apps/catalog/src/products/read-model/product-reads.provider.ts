import type { Provider } from '@nestjs/common';
import { DataSource } from 'typeorm';
import { UnitOfWork } from '@app/database';
import { PostgresProductReads } from './postgres-product-reads';
import { ProductReads } from './product-reads';
import { SqliteProductReads } from './sqlite-product-reads';

/** {@link ProductReads} for the database the catalog runs on. */
export const PRODUCT_READS_PROVIDER: Provider = {
  provide: ProductReads,
  inject: [DataSource, UnitOfWork],
  useFactory: (dataSource: DataSource, uow: UnitOfWork): ProductReads =>
    dataSource.options.type === 'better-sqlite3'
      ? new SqliteProductReads(dataSource, uow)
      : new PostgresProductReads(dataSource),
};

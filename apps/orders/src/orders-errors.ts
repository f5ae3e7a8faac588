import { DATABASE_ERRORS } from '@app/database';
import { AUTH_ERRORS } from '@app/auth';
import { IDEMPOTENCY_ERRORS } from '@app/idempotency';
import { CONSISTENCY_ERRORS } from '@app/outbox';
import { SERVICE_ERRORS, defineErrorCatalog, mergeErrorCatalogs } from '@app/service-defaults';
import { CATALOG_ERRORS, ORDERS_ERRORS as ORDER_ROUTE_ERRORS } from '@app/shop-api';

/** Every error code orders answers with, and its HTTP status. */
export const ORDERS_ERRORS = mergeErrorCatalogs(
  SERVICE_ERRORS,
  AUTH_ERRORS,
  // Of the catalog's codes, orders answers only this one (an item names no product).
  defineErrorCatalog({ PRODUCT_NOT_FOUND: CATALOG_ERRORS.PRODUCT_NOT_FOUND }),
  ORDER_ROUTE_ERRORS,
  IDEMPOTENCY_ERRORS,
  DATABASE_ERRORS,
  CONSISTENCY_ERRORS,
);

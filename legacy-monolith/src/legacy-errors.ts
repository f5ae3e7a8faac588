import { AUTH_ERRORS } from '@app/auth';
import { SERVICE_ERRORS, mergeErrorCatalogs } from '@app/service-defaults';
import { CATALOG_ERRORS } from './catalog/catalog.errors';
import { CUSTOMERS_ERRORS } from './customers/customers.errors';
import { IDEMPOTENCY_ERRORS } from './idempotency/idempotency.errors';
import { ORDERS_ERRORS } from './orders/orders.errors';

/** Every error code the monolith answers with, and its HTTP status. */
export const LEGACY_ERRORS = mergeErrorCatalogs(
  SERVICE_ERRORS,
  AUTH_ERRORS,
  CUSTOMERS_ERRORS,
  CATALOG_ERRORS,
  ORDERS_ERRORS,
  IDEMPOTENCY_ERRORS,
);

import { DATABASE_ERRORS } from '@app/database';
import { AUTH_ERRORS } from '@app/auth';
import { IDEMPOTENCY_ERRORS } from '@app/idempotency';
import { CONSISTENCY_ERRORS } from '@app/outbox';
import { SERVICE_ERRORS, mergeErrorCatalogs } from '@app/service-defaults';
import { CATALOG_ERRORS, CUSTOMERS_ERRORS, ORDERS_ERRORS } from '@app/shop-api';

/** Every error code the monolith answers with, and its HTTP status. */
export const LEGACY_ERRORS = mergeErrorCatalogs(
  SERVICE_ERRORS,
  AUTH_ERRORS,
  CUSTOMERS_ERRORS,
  CATALOG_ERRORS,
  ORDERS_ERRORS,
  IDEMPOTENCY_ERRORS,
  DATABASE_ERRORS,
  CONSISTENCY_ERRORS,
);

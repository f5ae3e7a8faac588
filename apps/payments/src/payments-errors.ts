import { DATABASE_ERRORS } from '@app/database';
import { AUTH_ERRORS } from '@app/auth';
import { IDEMPOTENCY_ERRORS } from '@app/idempotency';
import { CONSISTENCY_ERRORS } from '@app/outbox';
import { SERVICE_ERRORS, defineErrorCatalog, mergeErrorCatalogs } from '@app/service-defaults';
import { CUSTOMERS_ERRORS } from '@app/shop-api';
import { WALLET_ERRORS } from './wallet/wallet.errors';

/** Every error code payments answers with (over HTTP or to a saga command), and its HTTP status. */
export const PAYMENTS_ERRORS = mergeErrorCatalogs(
  SERVICE_ERRORS,
  AUTH_ERRORS,
  // Of the customers' codes, payments answers only this one (a deposit into a wallet it does not know).
  defineErrorCatalog({ CUSTOMER_NOT_FOUND: CUSTOMERS_ERRORS.CUSTOMER_NOT_FOUND }),
  IDEMPOTENCY_ERRORS,
  WALLET_ERRORS,
  DATABASE_ERRORS,
  CONSISTENCY_ERRORS,
);

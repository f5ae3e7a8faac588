import { DATABASE_ERRORS } from '@app/database';
import { AUTH_ERRORS } from '@app/auth';
import { CONSISTENCY_ERRORS } from '@app/outbox';
import { DomainError, SERVICE_ERRORS, defineErrorCatalog, mergeErrorCatalogs } from '@app/service-defaults';
import { CATALOG_ERRORS } from '@app/shop-api';

/**
 * The catalog's own codes: none reaches a client. The projection's make an event wait (it is
 * delivered again); the rebuild command's end it with exit code 1.
 */
export const CATALOG_SERVICE_ERRORS = defineErrorCatalog({
  CATALOG_PRODUCT_UNKNOWN: {
    status: 409,
    description: 'An event changes a product the read model does not have yet; it is delivered again later.',
  },
  CATALOG_STOCK_BELOW_ZERO: {
    status: 409,
    description: "A stock delta would take the stock below zero; it waits for the other origins' earlier events.",
  },
  CATALOG_REBUILD_LEGACY_UNREACHABLE: {
    status: 502,
    description: 'The rebuild could not reach the monolith at LEGACY_URL.',
  },
  CATALOG_REBUILD_LEGACY_REFUSED: {
    status: 502,
    description: 'The monolith refused the token or backfill request of the rebuild (ADMIN_EMAIL, ADMIN_PASSWORD).',
  },
  CATALOG_REBUILD_CATALOG_RUNNING: {
    status: 409,
    description: 'The rebuild found a catalog instance reading the streams; stop every instance first.',
  },
});

export type CatalogServiceErrorCode = keyof typeof CATALOG_SERVICE_ERRORS;

/** The one error class of the catalog app's own codes. */
export class CatalogServiceError extends DomainError {
  constructor(
    override readonly code: CatalogServiceErrorCode,
    message: string,
  ) {
    super(code, message);
  }
}

/** Every error code the catalog answers with or raises, and its HTTP status. */
export const CATALOG_APP_ERRORS = mergeErrorCatalogs(
  SERVICE_ERRORS,
  AUTH_ERRORS,
  CATALOG_ERRORS,
  CATALOG_SERVICE_ERRORS,
  DATABASE_ERRORS,
  CONSISTENCY_ERRORS,
);

import { DATABASE_ERRORS } from '@app/database';
import { AUTH_ERRORS } from '@app/auth';
import { CONSISTENCY_ERRORS } from '@app/outbox';
import { DomainError, SERVICE_ERRORS, defineErrorCatalog, mergeErrorCatalogs } from '@app/service-defaults';
import { CATALOG_ERRORS } from '@app/shop-api';

/** The codes inventory defines itself (saga commands and other services' events). */
export const INVENTORY_OWN_ERRORS = defineErrorCatalog({
  RESERVATION_CONFLICT: {
    status: 409,
    description:
      'inventory.reserve-stock names an order already reserved (or rejected) with other items; nothing changes.',
  },
  RESERVATION_CLOSED: {
    status: 409,
    description: 'inventory.reserve-stock names an order released before it was ever reserved; nothing is taken.',
  },
  STOCK_EVENT_NOT_APPLICABLE: {
    status: 409,
    description:
      "Another service's product or stock event cannot be applied yet (unknown product, stock below zero, product " +
      'created twice); it is delivered again, and dead-lettered in the end.',
  },
});

export type InventoryErrorCode = keyof typeof INVENTORY_OWN_ERRORS;

/** A failure of inventory's own rules, with one of {@link INVENTORY_OWN_ERRORS}' codes. */
export class InventoryError extends DomainError {
  constructor(
    override readonly code: InventoryErrorCode,
    message: string,
  ) {
    super(code, message);
  }
}

/** Every error code inventory answers with, and its HTTP status. */
export const INVENTORY_ERRORS = mergeErrorCatalogs(
  SERVICE_ERRORS,
  AUTH_ERRORS,
  defineErrorCatalog({
    PRODUCT_NOT_FOUND: CATALOG_ERRORS.PRODUCT_NOT_FOUND,
    STOCK_NEGATIVE: CATALOG_ERRORS.STOCK_NEGATIVE,
  }),
  INVENTORY_OWN_ERRORS,
  DATABASE_ERRORS,
  CONSISTENCY_ERRORS,
);

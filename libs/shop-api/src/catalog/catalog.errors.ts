import { DomainError, defineErrorCatalog } from '@app/service-defaults';

export const CATALOG_ERRORS = defineErrorCatalog({
  PRODUCT_NOT_FOUND: { status: 404, description: 'No product has this id (for orders: one of the items).' },
  PRODUCT_SKU_TAKEN: { status: 409, description: 'Another product has this SKU.' },
  STOCK_NEGATIVE: { status: 409, description: 'The adjustment would take the stock below zero; nothing changed.' },
});

export class ProductNotFoundError extends DomainError {
  constructor(ids: readonly string[]) {
    super(
      'PRODUCT_NOT_FOUND',
      ids.length === 1 ? `No product has the id ${ids[0]}.` : `No product has the ids ${ids.join(', ')}.`,
    );
  }
}

export class ProductSkuTakenError extends DomainError {
  constructor(sku: string) {
    super('PRODUCT_SKU_TAKEN', `A product with the SKU ${sku} already exists.`);
  }
}

export class StockNegativeError extends DomainError {
  constructor(stock: number, delta: number) {
    super('STOCK_NEGATIVE', `The stock is ${stock}; an adjustment of ${delta} would take it below zero.`);
  }
}

export { AdjustStockBodySchema, MAX_ADJUSTMENT, StockAdjustmentSchema } from './catalog/adjust-stock.schema';
export type { AdjustStockBody, StockAdjustmentView } from './catalog/adjust-stock.schema';
export {
  CATALOG_ERRORS,
  ProductNotFoundError,
  ProductSkuTakenError,
  StockNegativeError,
} from './catalog/catalog.errors';
export { CreateProductBodySchema, MAX_INITIAL_STOCK, MAX_PRICE_CENTS } from './catalog/create-product.schema';
export type { CreateProductBody } from './catalog/create-product.schema';
export { ListProductsQuerySchema } from './catalog/list-products.schema';
export type { ListProductsParams } from './catalog/list-products.schema';
export { containsPattern, foldForSearch } from './catalog/product-search';
export { latestUpdate } from './catalog/latest-update';
export { ProductPageSchema, ProductSchema, toProductView } from './catalog/product.view';
export type { ProductRecord, ProductView } from './catalog/product.view';
export {
  CUSTOMERS_ERRORS,
  CustomerEmailTakenError,
  CustomerNotFoundError,
  InvalidCredentialsError,
} from './customers/customers.errors';
export { DepositSchema, MAX_DEPOSIT_CENTS, MakeDepositBodySchema } from './customers/deposit.schema';
export type { DepositView, MakeDepositBody } from './customers/deposit.schema';
export { CancelOrderBodySchema } from './orders/cancel-order.schema';
export { ListOrdersQuerySchema } from './orders/list-orders.schema';
export type { ListOrdersParams } from './orders/list-orders.schema';
export { priceOrder } from './orders/order-pricing';
export type { OrderLine, RequestedItem } from './orders/order-pricing';
export { ORDER_STATUSES, REJECTION_REASONS } from './orders/order-status';
export type { OrderStatus, RejectionReason } from './orders/order-status';
export { OrderPageSchema, OrderSchema, toOrderView } from './orders/order.view';
export type { OrderLineRecord, OrderRecord, OrderView } from './orders/order.view';
export { ORDERS_ERRORS, OrderNotCancellableError, OrderNotFoundError } from './orders/orders.errors';
export { MAX_ITEM_QUANTITY, MAX_ORDER_ITEMS, PlaceOrderBodySchema } from './orders/place-order.schema';
export type { PlaceOrderBody } from './orders/place-order.schema';

import { ApplyProductEventsHandler } from './apply-product-events/apply-product-events.handler';
import { Module } from '@nestjs/common';
import { AdjustStockHandler } from './adjust-stock/adjust-stock.handler';
import { AdjustStockHttpController } from './adjust-stock/adjust-stock.http.controller';
import { CreateProductHandler } from './create-product/create-product.handler';
import { CreateProductHttpController } from './create-product/create-product.http.controller';
import { GetProductHandler } from './get-product/get-product.handler';
import { GetProductHttpController } from './get-product/get-product.http.controller';
import { ListProductsHandler } from './list-products/list-products.handler';
import { ListProductsHttpController } from './list-products/list-products.http.controller';
import { StockLedger } from './stock/stock-ledger';

/** Products and their stock. */
@Module({
  controllers: [
    ListProductsHttpController,
    GetProductHttpController,
    CreateProductHttpController,
    AdjustStockHttpController,
  ],
  providers: [
    ApplyProductEventsHandler,
    StockLedger,
    ListProductsHandler,
    GetProductHandler,
    CreateProductHandler,
    AdjustStockHandler,
  ],
  exports: [StockLedger],
})
export class CatalogModule {}

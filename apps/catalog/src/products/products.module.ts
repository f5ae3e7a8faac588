import { Module } from '@nestjs/common';
import { ApplyProductEventsHandler } from './apply-product-events/apply-product-events.handler';
import { CreateProductHandler } from './create-product/create-product.handler';
import { CreateProductHttpController } from './create-product/create-product.http.controller';
import { GetProductHandler } from './get-product/get-product.handler';
import { GetProductHttpController } from './get-product/get-product.http.controller';
import { ListProductsHandler } from './list-products/list-products.handler';
import { ListProductsHttpController } from './list-products/list-products.http.controller';
import { PRODUCT_READS_PROVIDER } from './read-model/product-reads.provider';

/** The product routes the catalog serves, the read path made for them, and the projection that builds its read model. */
@Module({
  controllers: [ListProductsHttpController, GetProductHttpController, CreateProductHttpController],
  providers: [
    PRODUCT_READS_PROVIDER,
    ApplyProductEventsHandler,
    ListProductsHandler,
    GetProductHandler,
    CreateProductHandler,
  ],
})
export class ProductsModule {}

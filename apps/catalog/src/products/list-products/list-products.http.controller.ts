import { Controller, Get, Query } from '@nestjs/common';
import { QueryBus } from '@nestjs/cqrs';
import { ApiOperation, ApiResponse, ApiTags } from '@nestjs/swagger';
import { ApiErrorResponses, Page } from '@app/api-conventions';
import { Public } from '@app/auth';
import { ListProductsParams, ListProductsQuerySchema, ProductPageSchema, ProductView } from '@app/shop-api';
import { CATALOG_APP_ERRORS } from '../../catalog-errors';
import { ListProductsQuery } from './list-products.query';

@ApiTags('catalog')
@Controller('api/products')
export class ListProductsHttpController {
  constructor(private readonly queries: QueryBus) {}

  @Public()
  @Get()
  @ApiOperation({ summary: 'List products by SKU ascending, optionally searching names and SKUs (anyone).' })
  @ApiResponse({ status: 200, description: 'A page of products.', standardSchema: ProductPageSchema })
  @ApiErrorResponses(CATALOG_APP_ERRORS, 'VALIDATION_FAILED')
  list(@Query({ schema: ListProductsQuerySchema }) params: ListProductsParams): Promise<Page<ProductView>> {
    return this.queries.execute(new ListProductsQuery(params));
  }
}

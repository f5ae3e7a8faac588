import { Controller, Get, Header, Query } from '@nestjs/common';
import { QueryBus } from '@nestjs/cqrs';
import { ApiOperation, ApiResponse, ApiTags } from '@nestjs/swagger';
import { ApiErrorResponses } from '@app/api-conventions';
import { Public } from '@app/auth';
import { ListProductsParams, ListProductsQuerySchema, ProductPageSchema } from '@app/shop-api';
import { CATALOG_APP_ERRORS } from '../../catalog-errors';
import { JSON_CONTENT_TYPE } from '../read-model/product-json';
import { ListProductsQuery } from './list-products.query';

@ApiTags('catalog')
@Controller('api/products')
export class ListProductsHttpController {
  constructor(private readonly queries: QueryBus) {}

  @Public()
  @Get()
  @Header('Content-Type', JSON_CONTENT_TYPE)
  @ApiOperation({ summary: 'List products by SKU ascending, optionally searching names and SKUs (anyone).' })
  @ApiResponse({ status: 200, description: 'A page of products.', standardSchema: ProductPageSchema })
  @ApiErrorResponses(CATALOG_APP_ERRORS, 'VALIDATION_FAILED')
  list(@Query({ schema: ListProductsQuerySchema }) params: ListProductsParams): Promise<string> {
    return this.queries.execute(new ListProductsQuery(params));
  }
}

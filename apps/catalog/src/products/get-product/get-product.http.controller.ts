import { Controller, Get, Header, Param } from '@nestjs/common';
import { QueryBus } from '@nestjs/cqrs';
import { ApiOperation, ApiResponse, ApiTags } from '@nestjs/swagger';
import { ApiErrorResponses, UuidSchema } from '@app/api-conventions';
import { Public } from '@app/auth';
import { ProductSchema } from '@app/shop-api';
import { CATALOG_APP_ERRORS } from '../../catalog-errors';
import { JSON_CONTENT_TYPE } from '../read-model/product-json';
import { GetProductQuery } from './get-product.query';

@ApiTags('catalog')
@Controller('api/products')
export class GetProductHttpController {
  constructor(private readonly queries: QueryBus) {}

  @Public()
  @Get(':id')
  @Header('Content-Type', JSON_CONTENT_TYPE)
  @ApiOperation({ summary: 'Read a product (anyone).' })
  @ApiResponse({ status: 200, description: 'The product.', standardSchema: ProductSchema })
  @ApiErrorResponses(CATALOG_APP_ERRORS, 'VALIDATION_FAILED', 'PRODUCT_NOT_FOUND')
  get(@Param('id', { schema: UuidSchema }) id: string): Promise<string> {
    return this.queries.execute(new GetProductQuery(id));
  }
}

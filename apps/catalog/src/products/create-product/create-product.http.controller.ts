import { Body, Controller, Header, HttpCode, Post } from '@nestjs/common';
import { CommandBus } from '@nestjs/cqrs';
import { ApiBearerAuth, ApiOperation, ApiResponse, ApiTags } from '@nestjs/swagger';
import { ApiErrorResponses } from '@app/api-conventions';
import { Roles } from '@app/auth';
import { CreateProductBody, CreateProductBodySchema, ProductSchema } from '@app/shop-api';
import { CATALOG_APP_ERRORS } from '../../catalog-errors';
import { JSON_CONTENT_TYPE } from '../read-model/product-json';
import { CreateProductCommand } from './create-product.command';

@ApiTags('catalog')
@ApiBearerAuth()
@Controller('api/products')
export class CreateProductHttpController {
  constructor(private readonly commands: CommandBus) {}

  @Roles('admin')
  @Post()
  @HttpCode(201)
  @Header('Content-Type', JSON_CONTENT_TYPE)
  @ApiOperation({ summary: 'Create a product (admin).' })
  @ApiResponse({ status: 201, description: 'The new product.', standardSchema: ProductSchema })
  @ApiErrorResponses(
    CATALOG_APP_ERRORS,
    'VALIDATION_FAILED',
    'MALFORMED_JSON',
    'PAYLOAD_TOO_LARGE',
    'UNAUTHENTICATED',
    'FORBIDDEN',
    'PRODUCT_SKU_TAKEN',
  )
  create(@Body({ schema: CreateProductBodySchema }) body: CreateProductBody): Promise<string> {
    return this.commands.execute(new CreateProductCommand(body));
  }
}

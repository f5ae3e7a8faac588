import { Body, Controller, HttpCode, Param, Post } from '@nestjs/common';
import { CommandBus } from '@nestjs/cqrs';
import { ApiBearerAuth, ApiOperation, ApiResponse, ApiTags } from '@nestjs/swagger';
import { ApiErrorResponses, UuidSchema } from '@app/api-conventions';
import { Roles } from '@app/auth';
import { AdjustStockBody, AdjustStockBodySchema, StockAdjustmentSchema, StockAdjustmentView } from '@app/shop-api';
import { INVENTORY_ERRORS } from '../../inventory-errors';
import { AdjustStockCommand } from './adjust-stock.command';

/** `POST /api/products/{id}/stock-adjustments`, answered exactly as the monolith answers it. */
@ApiTags('catalog')
@ApiBearerAuth()
@Controller('api/products')
export class AdjustStockHttpController {
  constructor(private readonly commands: CommandBus) {}

  @Roles('admin')
  @Post(':id/stock-adjustments')
  @HttpCode(201)
  @ApiOperation({ summary: "Add to or take from a product's stock (admin); never below zero." })
  @ApiResponse({ status: 201, description: 'The adjustment and the new stock.', standardSchema: StockAdjustmentSchema })
  @ApiErrorResponses(
    INVENTORY_ERRORS,
    'VALIDATION_FAILED',
    'MALFORMED_JSON',
    'PAYLOAD_TOO_LARGE',
    'UNAUTHENTICATED',
    'FORBIDDEN',
    'PRODUCT_NOT_FOUND',
    'STOCK_NEGATIVE',
  )
  adjust(
    @Param('id', { schema: UuidSchema }) id: string,
    @Body({ schema: AdjustStockBodySchema }) body: AdjustStockBody,
  ): Promise<StockAdjustmentView> {
    return this.commands.execute(new AdjustStockCommand(id, body.delta, body.reason));
  }
}

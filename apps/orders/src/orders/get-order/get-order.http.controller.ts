import { Controller, Get, Param } from '@nestjs/common';
import { QueryBus } from '@nestjs/cqrs';
import { ApiBearerAuth, ApiOperation, ApiResponse, ApiTags } from '@nestjs/swagger';
import { ApiErrorResponses, UuidSchema } from '@app/api-conventions';
import { CurrentPrincipal, Principal } from '@app/auth';
import { OrderSchema, OrderView } from '@app/shop-api';
import { ORDERS_ERRORS } from '../../orders-errors';
import { GetOrderQuery } from './get-order.query';

@ApiTags('orders')
@ApiBearerAuth()
@Controller('api/orders')
export class GetOrderHttpController {
  constructor(private readonly queries: QueryBus) {}

  @Get(':id')
  @ApiOperation({ summary: "Read an order (its customer, or an admin); another customer's order is 404." })
  @ApiResponse({ status: 200, description: 'The order.', standardSchema: OrderSchema })
  @ApiErrorResponses(ORDERS_ERRORS, 'VALIDATION_FAILED', 'UNAUTHENTICATED', 'ORDER_NOT_FOUND')
  get(@CurrentPrincipal() principal: Principal, @Param('id', { schema: UuidSchema }) id: string): Promise<OrderView> {
    return this.queries.execute(new GetOrderQuery(principal, id));
  }
}

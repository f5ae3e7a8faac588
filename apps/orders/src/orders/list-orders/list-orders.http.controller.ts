import { Controller, Get, Query } from '@nestjs/common';
import { QueryBus } from '@nestjs/cqrs';
import { ApiBearerAuth, ApiOperation, ApiResponse, ApiTags } from '@nestjs/swagger';
import { ApiErrorResponses, Page } from '@app/api-conventions';
import { CurrentPrincipal, Principal } from '@app/auth';
import { ListOrdersParams, ListOrdersQuerySchema, OrderPageSchema, OrderView } from '@app/shop-api';
import { ORDERS_ERRORS } from '../../orders-errors';
import { ListOrdersQuery } from './list-orders.query';

@ApiTags('orders')
@ApiBearerAuth()
@Controller('api/orders')
export class ListOrdersHttpController {
  constructor(private readonly queries: QueryBus) {}

  @Get()
  @ApiOperation({
    summary:
      "List orders, newest first (createdAt descending, then id ascending): a customer's own, or for admins all or one customer's.",
  })
  @ApiResponse({ status: 200, description: 'A page of orders.', standardSchema: OrderPageSchema })
  @ApiErrorResponses(ORDERS_ERRORS, 'VALIDATION_FAILED', 'UNAUTHENTICATED')
  list(
    @CurrentPrincipal() principal: Principal,
    @Query({ schema: ListOrdersQuerySchema }) params: ListOrdersParams,
  ): Promise<Page<OrderView>> {
    return this.queries.execute(new ListOrdersQuery(principal, params));
  }
}

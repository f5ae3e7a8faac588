import { Controller, Get, Param } from '@nestjs/common';
import { QueryBus } from '@nestjs/cqrs';
import { ApiBearerAuth, ApiOperation, ApiResponse, ApiTags } from '@nestjs/swagger';
import { ApiErrorResponses, UuidSchema } from '@app/api-conventions';
import { CurrentPrincipal, Principal } from '@app/auth';
import { LEGACY_ERRORS } from '../../legacy-errors';
import { CustomerSchema, CustomerView } from '../customer.view';
import { GetCustomerQuery } from './get-customer.query';

@ApiTags('customers')
@ApiBearerAuth()
@Controller('api/customers')
export class GetCustomerHttpController {
  constructor(private readonly queries: QueryBus) {}

  @Get(':id')
  @ApiOperation({ summary: 'Read a customer (that customer, or an admin).' })
  @ApiResponse({ status: 200, description: 'The customer.', standardSchema: CustomerSchema })
  @ApiErrorResponses(LEGACY_ERRORS, 'VALIDATION_FAILED', 'UNAUTHENTICATED', 'FORBIDDEN', 'CUSTOMER_NOT_FOUND')
  get(
    @CurrentPrincipal() principal: Principal,
    @Param('id', { schema: UuidSchema }) id: string,
  ): Promise<CustomerView> {
    return this.queries.execute(new GetCustomerQuery(principal, id));
  }
}

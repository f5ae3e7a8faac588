import { Body, Controller, HttpCode, Post } from '@nestjs/common';
import { CommandBus } from '@nestjs/cqrs';
import { ApiOperation, ApiResponse, ApiTags } from '@nestjs/swagger';
import { ApiErrorResponses } from '@app/api-conventions';
import { Public } from '@app/auth';
import { LEGACY_ERRORS } from '../../legacy-errors';
import { CustomerSchema, CustomerView } from '../customer.view';
import { RegisterCustomerCommand } from './register-customer.command';
import { RegisterCustomerBody, RegisterCustomerBodySchema } from './register-customer.schema';

@ApiTags('customers')
@Controller('api/customers')
export class RegisterCustomerHttpController {
  constructor(private readonly commands: CommandBus) {}

  @Public()
  @Post()
  @HttpCode(201)
  @ApiOperation({ summary: 'Register a customer (anyone); the wallet starts at 0.' })
  @ApiResponse({ status: 201, description: 'The new customer.', standardSchema: CustomerSchema })
  @ApiErrorResponses(LEGACY_ERRORS, 'VALIDATION_FAILED', 'MALFORMED_JSON', 'PAYLOAD_TOO_LARGE', 'CUSTOMER_EMAIL_TAKEN')
  register(@Body({ schema: RegisterCustomerBodySchema }) body: RegisterCustomerBody): Promise<CustomerView> {
    return this.commands.execute(new RegisterCustomerCommand(body.name, body.email, body.password));
  }
}

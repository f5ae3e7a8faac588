import { Body, Controller, HttpCode, Param, Post } from '@nestjs/common';
import { CommandBus } from '@nestjs/cqrs';
import { ApiBearerAuth, ApiHeader, ApiOperation, ApiResponse, ApiTags } from '@nestjs/swagger';
import { ApiErrorResponses, IdempotencyKey, UuidSchema } from '@app/api-conventions';
import { CurrentPrincipal, Principal } from '@app/auth';
import { DepositSchema, DepositView, MakeDepositBody, MakeDepositBodySchema } from '@app/shop-api';
import { PAYMENTS_ERRORS } from '../payments-errors';
import { MakeDepositCommand } from './make-deposit.command';

/** `POST /api/customers/{id}/deposits`, answered exactly as the monolith answers it. */
@ApiTags('customers')
@ApiBearerAuth()
@Controller('api/customers')
export class MakeDepositHttpController {
  constructor(private readonly commands: CommandBus) {}

  @Post(':id/deposits')
  @HttpCode(201)
  @ApiOperation({
    summary: "Deposit into a customer's wallet (that customer, or an admin).",
    description:
      'With an Idempotency-Key, a repeat by the same caller with the same body returns the first 201 response and ' +
      'changes nothing; the same key with another body or customer gets 422 IDEMPOTENCY_KEY_REUSED. Only 201 ' +
      'responses are recorded: a request that failed may be retried with its key. Keys are kept 24 hours. ' +
      'Served by payments: a customer registered a moment ago is 404 CUSTOMER_NOT_FOUND here until payments has ' +
      'applied `customer.registered`.',
  })
  @ApiHeader({ name: 'Idempotency-Key', required: false, description: '1 to 128 printable ASCII characters.' })
  @ApiResponse({ status: 201, description: 'The deposit and the new balance.', standardSchema: DepositSchema })
  @ApiErrorResponses(
    PAYMENTS_ERRORS,
    'VALIDATION_FAILED',
    'MALFORMED_JSON',
    'PAYLOAD_TOO_LARGE',
    'UNAUTHENTICATED',
    'FORBIDDEN',
    'CUSTOMER_NOT_FOUND',
    'IDEMPOTENCY_KEY_REUSED',
  )
  deposit(
    @CurrentPrincipal() principal: Principal,
    @Param('id', { schema: UuidSchema }) id: string,
    @Body({ schema: MakeDepositBodySchema }) body: MakeDepositBody,
    @IdempotencyKey() idempotencyKey: string | undefined,
  ): Promise<DepositView> {
    return this.commands.execute(new MakeDepositCommand(principal, id, body.amountCents, idempotencyKey));
  }
}

import { Command } from '@nestjs/cqrs';
import type { Principal } from '@app/auth';
import { type DepositView } from '@app/shop-api';

export class MakeDepositCommand extends Command<DepositView> {
  constructor(
    readonly principal: Principal,
    readonly customerId: string,
    readonly amountCents: number,
    readonly idempotencyKey: string | undefined,
  ) {
    super();
  }
}

import { Command } from '@nestjs/cqrs';
import type { Principal } from '@app/auth';
import { type OrderView } from '@app/shop-api';
import type { RequestedItem } from './place-order.decision';

export class PlaceOrderCommand extends Command<OrderView> {
  constructor(
    readonly principal: Principal,
    readonly items: readonly RequestedItem[],
    readonly idempotencyKey: string | undefined,
  ) {
    super();
  }
}

import { Command } from '@nestjs/cqrs';
import type { Principal } from '@app/auth';
import type { OrderView, RequestedItem } from '@app/shop-api';

export class PlaceOrderCommand extends Command<OrderView> {
  constructor(
    readonly principal: Principal,
    readonly items: readonly RequestedItem[],
    readonly idempotencyKey: string | undefined,
    /** The request's `x-ficus-await` (from the facade): writes of other sides the order must follow. */
    readonly awaited?: string,
  ) {
    super();
  }
}

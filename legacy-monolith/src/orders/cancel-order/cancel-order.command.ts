import { Command } from '@nestjs/cqrs';
import type { Principal } from '@app/auth';
import type { OrderView } from '../order.view';

export class CancelOrderCommand extends Command<OrderView> {
  constructor(
    readonly principal: Principal,
    readonly orderId: string,
  ) {
    super();
  }
}

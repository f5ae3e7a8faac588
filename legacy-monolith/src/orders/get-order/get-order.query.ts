import { Query } from '@nestjs/cqrs';
import type { Principal } from '@app/auth';
import type { OrderView } from '../order.view';

export class GetOrderQuery extends Query<OrderView> {
  constructor(
    readonly principal: Principal,
    readonly orderId: string,
  ) {
    super();
  }
}

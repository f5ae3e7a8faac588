import { Query } from '@nestjs/cqrs';
import type { Principal } from '@app/auth';
import { type OrderView } from '@app/shop-api';

export class GetOrderQuery extends Query<OrderView> {
  constructor(
    readonly principal: Principal,
    readonly orderId: string,
  ) {
    super();
  }
}

import { Query } from '@nestjs/cqrs';
import type { Page } from '@app/api-conventions';
import type { Principal } from '@app/auth';
import type { OrderView } from '../order.view';
import type { ListOrdersParams } from './list-orders.schema';

export class ListOrdersQuery extends Query<Page<OrderView>> {
  constructor(
    readonly principal: Principal,
    readonly params: ListOrdersParams,
  ) {
    super();
  }
}

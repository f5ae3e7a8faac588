import { Query } from '@nestjs/cqrs';
import type { Page } from '@app/api-conventions';
import type { Principal } from '@app/auth';
import { type ListOrdersParams, type OrderView } from '@app/shop-api';

export class ListOrdersQuery extends Query<Page<OrderView>> {
  constructor(
    readonly principal: Principal,
    readonly params: ListOrdersParams,
  ) {
    super();
  }
}

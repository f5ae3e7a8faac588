import { Query } from '@nestjs/cqrs';
import type { Principal } from '@app/auth';
import type { CustomerView } from '../customer.view';

export class GetCustomerQuery extends Query<CustomerView> {
  constructor(
    readonly principal: Principal,
    readonly customerId: string,
  ) {
    super();
  }
}

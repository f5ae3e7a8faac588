import { IQueryHandler, QueryHandler } from '@nestjs/cqrs';
import { ForbiddenError, mayActFor } from '@app/auth';
import { UnitOfWork } from '@app/database';
import { CustomerNotFoundError } from '@app/shop-api';
import { CustomerEntity } from '../customer.entity';
import { CustomerView, toCustomerView } from '../customer.view';
import { GetCustomerQuery } from './get-customer.query';

@QueryHandler(GetCustomerQuery)
export class GetCustomerHandler implements IQueryHandler<GetCustomerQuery> {
  constructor(private readonly uow: UnitOfWork) {}

  async execute({ principal, customerId }: GetCustomerQuery): Promise<CustomerView> {
    if (!mayActFor(principal, customerId)) throw new ForbiddenError('Customers may only read their own record.');
    const customer = await this.uow.read((manager) => manager.findOne(CustomerEntity, { where: { id: customerId } }));
    if (!customer) throw new CustomerNotFoundError(customerId);
    return toCustomerView(customer);
  }
}

import { IQueryHandler, QueryHandler } from '@nestjs/cqrs';
import { mayActFor } from '@app/auth';
import { UnitOfWork } from '@app/database';
import { OrderNotFoundError, type OrderView } from '@app/shop-api';
import { OrderEntity } from '../order.entity';
import { toOrderViews } from '../order-views';
import { GetOrderQuery } from './get-order.query';

@QueryHandler(GetOrderQuery)
export class GetOrderHandler implements IQueryHandler<GetOrderQuery> {
  constructor(private readonly uow: UnitOfWork) {}

  async execute({ principal, orderId }: GetOrderQuery): Promise<OrderView> {
    const [view] = await this.uow.read(async (manager) => {
      const order = await manager.findOne(OrderEntity, { where: { id: orderId } });
      // Another customer's order is answered as missing, so order ids reveal nothing.
      return order && mayActFor(principal, order.customerId) ? toOrderViews(manager, [order]) : [];
    });
    if (!view) throw new OrderNotFoundError(orderId);
    return view;
  }
}

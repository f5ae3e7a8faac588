import { IQueryHandler, QueryHandler } from '@nestjs/cqrs';
import { Page, toPage } from '@app/api-conventions';
import { UnitOfWork } from '@app/database';
import { type OrderView } from '@app/shop-api';
import { OrderEntity } from '../order.entity';
import { toOrderViews } from '../order-views';
import { ListOrdersQuery } from './list-orders.query';

@QueryHandler(ListOrdersQuery)
export class ListOrdersHandler implements IQueryHandler<ListOrdersQuery> {
  constructor(private readonly uow: UnitOfWork) {}

  execute({ principal, params }: ListOrdersQuery): Promise<Page<OrderView>> {
    const customerId = principal.role === 'customer' ? principal.id : params.customerId;
    return this.uow.read(async (manager) => {
      const [orders, total] = await manager.findAndCount(OrderEntity, {
        where: customerId ? { customerId } : {},
        order: { createdAt: 'DESC', id: 'ASC' },
        skip: params.offset,
        take: params.limit,
      });
      return toPage(await toOrderViews(manager, orders), total, params);
    });
  }
}

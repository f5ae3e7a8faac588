import { Injectable } from '@nestjs/common';
import type { EntityManager } from 'typeorm';
import { UnitOfWork } from '@app/database';
import {
  ApplyIntegrationEvents,
  IntegrationEventsHandler,
  OrderCancelledEvent,
  OrderPlacedEvent,
} from '@app/integration-events';
import { OrderItemEntity } from '../order-item.entity';
import { OrderEntity } from '../order.entity';

type OrderEvent = OrderPlacedEvent | OrderCancelledEvent;

/**
 * Stores the orders the monolith placed or cancelled, so that the history is whole here when
 * orders move to this service (and a cancellation here finds the order). Stock and wallets are
 * inventory's and payments': they change through their own events, not these.
 */
@Injectable()
@ApplyIntegrationEvents(OrderPlacedEvent, OrderCancelledEvent)
export class ApplyOrderEventsHandler implements IntegrationEventsHandler<OrderEvent> {
  constructor(private readonly uow: UnitOfWork) {}

  async handle(event: OrderEvent, manager: EntityManager): Promise<void> {
    if (event instanceof OrderPlacedEvent) {
      const { data } = event;
      const at = new Date(data.createdAt);
      await manager.insert(OrderEntity, {
        id: data.orderId,
        customerId: data.customerId,
        totalCents: data.totalCents,
        status: data.status,
        rejectionReason: data.rejectionReason,
        createdAt: at,
        updatedAt: at,
      });
      await manager.insert(
        OrderItemEntity,
        data.items.map((item, position) => ({ orderId: data.orderId, position, ...item })),
      );
      return;
    }
    const { data } = event;
    const order = await this.uow.findOneForUpdate(manager, OrderEntity, { where: { id: data.orderId } });
    // Thrown: the message comes again, once the order's placement (another origin's event) is applied.
    if (!order) throw new Error(`${data.id}: order ${data.orderId} does not exist here yet`);
    await manager.update(OrderEntity, { id: order.id }, { status: 'CANCELLED', updatedAt: new Date(data.cancelledAt) });
  }
}

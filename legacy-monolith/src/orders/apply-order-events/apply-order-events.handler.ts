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
 * Stores the orders another service (orders) placed or cancelled, so that every order a
 * client was answered for can be read back here too. Stock and wallets change through
 * their own events, not these.
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
    if (!order) throw new Error(`${data.id}: order ${data.orderId} does not exist here`);
    await manager.update(OrderEntity, { id: order.id }, { status: 'CANCELLED', updatedAt: new Date(data.cancelledAt) });
  }
}

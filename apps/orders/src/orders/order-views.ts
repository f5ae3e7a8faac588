import { EntityManager, In } from 'typeorm';
import { type OrderView, toOrderView } from '@app/shop-api';
import { OrderItemEntity } from './order-item.entity';
import { OrderEntity } from './order.entity';

/** The views of `orders`, in the same order, with their items read in one query. */
export async function toOrderViews(manager: EntityManager, orders: readonly OrderEntity[]): Promise<OrderView[]> {
  if (orders.length === 0) return [];
  const items = await manager.find(OrderItemEntity, { where: { orderId: In(orders.map((order) => order.id)) } });
  const byOrder = new Map<string, OrderItemEntity[]>();
  for (const item of items) byOrder.set(item.orderId, [...(byOrder.get(item.orderId) ?? []), item]);
  return orders.map((order) => toOrderView(order, byOrder.get(order.id) ?? []));
}

/** One order's view, or undefined. */
export async function orderViewOf(manager: EntityManager, orderId: string): Promise<OrderView | undefined> {
  const order = await manager.findOne(OrderEntity, { where: { id: orderId } });
  return order ? (await toOrderViews(manager, [order]))[0] : undefined;
}

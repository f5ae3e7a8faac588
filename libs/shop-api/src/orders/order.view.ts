import { z } from 'zod';
import { pageSchema } from '@app/api-conventions';
import { ORDER_STATUSES, REJECTION_REASONS, type OrderStatus, type RejectionReason } from './order-status';

export const OrderSchema = z
  .object({
    id: z.uuid(),
    customerId: z.uuid(),
    items: z.array(
      z.object({ productId: z.uuid(), quantity: z.int().min(1).max(100), unitPriceCents: z.int().min(0) }),
    ),
    totalCents: z.int().min(0),
    status: z.enum(ORDER_STATUSES),
    rejectionReason: z.enum(REJECTION_REASONS).nullable().meta({ description: 'null unless status is REJECTED.' }),
    createdAt: z.iso.datetime(),
    updatedAt: z.iso.datetime(),
  })
  .meta({ id: 'Order' });

export type OrderView = z.infer<typeof OrderSchema>;

export const OrderPageSchema = pageSchema(OrderSchema, 'OrderPage');

/** An order as any side stores it. */
export interface OrderRecord {
  readonly id: string;
  readonly customerId: string;
  readonly totalCents: number;
  readonly status: OrderStatus;
  readonly rejectionReason: RejectionReason | null;
  readonly createdAt: Date;
  readonly updatedAt: Date;
}

/** One line of an order as stored: `position` keeps the order of the request. */
export interface OrderLineRecord {
  readonly position: number;
  readonly productId: string;
  readonly quantity: number;
  readonly unitPriceCents: number;
}

export function toOrderView(order: OrderRecord, items: readonly OrderLineRecord[]): OrderView {
  return {
    id: order.id,
    customerId: order.customerId,
    items: [...items]
      .sort((a, b) => a.position - b.position)
      .map((item) => ({ productId: item.productId, quantity: item.quantity, unitPriceCents: item.unitPriceCents })),
    totalCents: order.totalCents,
    status: order.status,
    rejectionReason: order.rejectionReason,
    createdAt: order.createdAt.toISOString(),
    updatedAt: order.updatedAt.toISOString(),
  };
}

import { Injectable, Logger } from '@nestjs/common';
import type { EntityManager } from 'typeorm';
import { IdempotentExecutor } from '@app/idempotency';
import { IntegrationEvents, OrderCancelledEvent, OrderPlacedEvent } from '@app/integration-events';
import type { SagaEndHandler, SagaView } from '@app/sagas';
import { type RejectionReason, toOrderView } from '@app/shop-api';
import { CANCEL_ORDER_SAGA_NAME, type CancelOrderData } from './cancel-order/cancel-order.saga';
import { OrderItemEntity } from './order-item.entity';
import { OrderEntity } from './order.entity';
import { PLACE_ORDER_SAGA_NAME, type PlaceOrderData, REJECTIONS } from './place-order/place-order.saga';

/** The order a placement's end decides: approved, or rejected with the reason of the step that refused. */
export function placementOutcome(
  view: SagaView,
): { status: 'APPROVED' } | { status: 'REJECTED'; reason: RejectionReason } {
  if (view.status === 'COMPLETED') return { status: 'APPROVED' };
  // A step that refused names its business reason; one that failed to get an answer (STEP_FAILED,
  // after its retries) was undone all the same: the order is rejected for what that step could not do.
  const reason = view.failure ? REJECTIONS[view.failure.step] : undefined;
  return { status: 'REJECTED', reason: reason ?? 'OUT_OF_STOCK' };
}

/**
 * Records, in the transaction that ends a saga instance, what its end means for the order:
 * a placement becomes `APPROVED` or `REJECTED` and is published as `order.placed` (the answer
 * kept for its `Idempotency-Key` becomes that order); a cancellation, decided when it was asked,
 * is published as `order.cancelled` once the stock and the money are back.
 */
@Injectable()
export class OrderEnds implements SagaEndHandler {
  private readonly logger = new Logger('OrderEnds');

  constructor(
    private readonly events: IntegrationEvents,
    private readonly idempotent: IdempotentExecutor,
  ) {}

  async onEnd(view: SagaView, manager: EntityManager): Promise<void> {
    if (view.saga === PLACE_ORDER_SAGA_NAME) return this.placed(view, manager);
    if (view.saga === CANCEL_ORDER_SAGA_NAME) return this.cancelled(view, manager);
  }

  private async placed(view: SagaView, manager: EntityManager): Promise<void> {
    const data = view.data as PlaceOrderData;
    const outcome = placementOutcome(view);
    if (view.failure?.reason === 'STEP_FAILED') {
      this.logger.warn({ orderId: data.orderId, failure: view.failure }, 'order rejected: a step got no answer');
    }
    const order = await manager.findOneOrFail(OrderEntity, { where: { id: data.orderId } });
    const now = new Date();
    const rejectionReason = outcome.status === 'REJECTED' ? outcome.reason : null;
    // `updatedAt` stays the placement's time: the monolith decides in the transaction that creates the order.
    await manager.update(OrderEntity, { id: order.id }, { status: outcome.status, rejectionReason });
    await this.events.record(
      manager,
      OrderPlacedEvent,
      {
        orderId: order.id,
        customerId: order.customerId,
        items: data.lines.map(({ productId, quantity, unitPriceCents }) => ({ productId, quantity, unitPriceCents })),
        totalCents: order.totalCents,
        status: outcome.status,
        rejectionReason,
        createdAt: order.createdAt.toISOString(),
      },
      { occurredAt: now },
    );
    if (data.idempotency) {
      const items = await manager.find(OrderItemEntity, { where: { orderId: order.id } });
      const settled = toOrderView({ ...order, status: outcome.status, rejectionReason }, items);
      await this.idempotent.amend(manager, data.idempotency.principalId, data.idempotency.key, settled, view.positions);
    }
  }

  private async cancelled(view: SagaView, manager: EntityManager): Promise<void> {
    const data = view.data as CancelOrderData;
    if (view.status !== 'COMPLETED') {
      this.logger.error({ orderId: data.orderId, failure: view.failure }, 'cancellation did not finish');
      return;
    }
    const items = await manager.find(OrderItemEntity, { where: { orderId: data.orderId } });
    await this.events.record(
      manager,
      OrderCancelledEvent,
      {
        orderId: data.orderId,
        customerId: data.customerId,
        items: [...items]
          .sort((a, b) => a.position - b.position)
          .map(({ productId, quantity, unitPriceCents }) => ({ productId, quantity, unitPriceCents })),
        totalCents: data.totalCents,
        cancelledAt: data.cancelledAt,
      },
      { occurredAt: new Date(data.cancelledAt) },
    );
  }
}

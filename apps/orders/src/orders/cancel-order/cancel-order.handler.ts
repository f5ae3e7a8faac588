import { Inject } from '@nestjs/common';
import { CommandHandler, ICommandHandler } from '@nestjs/cqrs';
import { mayActFor } from '@app/auth';
import { UnitOfWork } from '@app/database';
import { reportPositions } from '@app/outbox';
import { SAGA_RUNNER, type SagaRunner } from '@app/sagas';
import { OrderNotCancellableError, OrderNotFoundError, type OrderView } from '@app/shop-api';
import { type OrdersConfig, ordersConfig } from '../../orders.config';
import { OrderEntity } from '../order.entity';
import { orderViewOf } from '../order-views';
import { CancelOrderCommand } from './cancel-order.command';
import { CANCEL_ORDER_SAGA } from './cancel-order.saga';

/**
 * Cancels an APPROVED order, with the monolith's checks (404 for a missing or another customer's
 * order, then 409 unless APPROVED): the order becomes `CANCELLED` and its saga (stock back, then
 * refund) is begun in one transaction, so a second cancellation is refused at once; the request
 * waits for the saga's end (`ORDERS_SAGA_WAIT_MS`) before answering, so that reads after the
 * answer show the stock and the balance restored.
 */
@CommandHandler(CancelOrderCommand)
export class CancelOrderHandler implements ICommandHandler<CancelOrderCommand> {
  constructor(
    private readonly uow: UnitOfWork,
    @Inject(SAGA_RUNNER) private readonly sagas: SagaRunner,
    @Inject(ordersConfig.KEY) private readonly config: OrdersConfig,
  ) {}

  async execute({ principal, orderId }: CancelOrderCommand): Promise<OrderView> {
    const sagaId = await this.uow.transaction(async (manager) => {
      const order = await this.uow.findOneForUpdate(manager, OrderEntity, { where: { id: orderId } });
      if (!order || !mayActFor(principal, order.customerId)) throw new OrderNotFoundError(orderId);
      if (order.status !== 'APPROVED') throw new OrderNotCancellableError(orderId, order.status);
      const now = new Date();
      await manager.update(OrderEntity, { id: orderId }, { status: 'CANCELLED', updatedAt: now });
      return this.sagas.begin(
        CANCEL_ORDER_SAGA,
        { orderId, customerId: order.customerId, totalCents: order.totalCents, cancelledAt: now.toISOString() },
        { manager },
      );
    });
    const ended = await this.sagas.awaitEnd(sagaId, this.config.sagaWaitMs);
    // The stock and wallet changes inventory and payments committed: later reads wait for them too.
    reportPositions(ended.positions);
    const view = await this.uow.read((manager) => orderViewOf(manager, orderId));
    if (!view) throw new OrderNotFoundError(orderId);
    return view;
  }
}

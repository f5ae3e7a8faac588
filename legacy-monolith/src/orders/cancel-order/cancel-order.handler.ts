import { CommandHandler, ICommandHandler } from '@nestjs/cqrs';
import { mayActFor } from '@app/auth';
import { UnitOfWork } from '@app/database';
import { IntegrationEvents, OrderCancelledEvent } from '@app/integration-events';
import { OrderNotCancellableError, OrderNotFoundError, OrderView, toOrderView } from '@app/shop-api';
import { StockLedger } from '../../catalog/stock/stock-ledger';
import { WalletLedger } from '../../customers/wallet/wallet-ledger';
import { OrderItemEntity } from '../order-item.entity';
import { OrderEntity } from '../order.entity';
import { CancelOrderCommand } from './cancel-order.command';

/**
 * Cancels an APPROVED order in one transaction: the stock goes back and the total is
 * refunded; publishes `order.cancelled` with the ledgers' `stock.adjusted` and `wallet.credited`.
 */
@CommandHandler(CancelOrderCommand)
export class CancelOrderHandler implements ICommandHandler<CancelOrderCommand> {
  constructor(
    private readonly uow: UnitOfWork,
    private readonly stock: StockLedger,
    private readonly wallets: WalletLedger,
    private readonly events: IntegrationEvents,
  ) {}

  execute({ principal, orderId }: CancelOrderCommand): Promise<OrderView> {
    return this.uow.transaction(async (manager) => {
      const order = await this.uow.findOneForUpdate(manager, OrderEntity, { where: { id: orderId } });
      if (!order || !mayActFor(principal, order.customerId)) throw new OrderNotFoundError(orderId);
      if (order.status !== 'APPROVED') throw new OrderNotCancellableError(orderId, order.status);

      const items = await manager.find(OrderItemEntity, { where: { orderId } });
      const products = await this.stock.lock(
        manager,
        items.map((item) => item.productId),
      );
      const customer = await this.wallets.lock(manager, order.customerId);
      if (!customer) throw new Error(`Customer ${order.customerId} of order ${orderId} does not exist`);

      const now = new Date();
      await this.stock.move(manager, products, items, {
        kind: 'cancellation',
        sign: 1,
        reason: `cancellation of order ${orderId}`,
        orderId,
        at: now,
      });
      await this.wallets.change(manager, customer, order.totalCents, { kind: 'order_refund', orderId, at: now });
      order.status = 'CANCELLED';
      order.updatedAt = now;
      await manager.update(OrderEntity, { id: orderId }, { status: order.status, updatedAt: now });
      await this.events.record(
        manager,
        OrderCancelledEvent,
        {
          orderId,
          customerId: order.customerId,
          items: items.map(({ productId, quantity, unitPriceCents }) => ({ productId, quantity, unitPriceCents })),
          totalCents: order.totalCents,
          cancelledAt: now.toISOString(),
        },
        { occurredAt: now },
      );
      return toOrderView(order, items);
    });
  }
}

import { randomUUID } from 'node:crypto';
import { CommandHandler, ICommandHandler } from '@nestjs/cqrs';
import { UnauthenticatedError } from '@app/auth';
import { IdempotentExecutor } from '@app/idempotency';
import { IntegrationEvents, OrderPlacedEvent } from '@app/integration-events';
import { OrderView, ProductNotFoundError, toOrderView } from '@app/shop-api';
import { StockLedger } from '../../catalog/stock/stock-ledger';
import { WalletLedger } from '../../customers/wallet/wallet-ledger';
import { OrderItemEntity } from '../order-item.entity';
import { OrderEntity } from '../order.entity';
import { PlaceOrderCommand } from './place-order.command';
import { decidePlacement } from './place-order.decision';

/**
 * Places an order in one transaction: locks the products (in id order), then the wallet,
 * decides, and on approval takes the stock and debits the wallet. A rejected order is
 * stored too and changes nothing else. Publishes `order.placed` (and, on approval, the
 * `stock.adjusted` and `wallet.debited` events of the ledgers) in the same transaction.
 */
@CommandHandler(PlaceOrderCommand)
export class PlaceOrderHandler implements ICommandHandler<PlaceOrderCommand> {
  constructor(
    private readonly stock: StockLedger,
    private readonly wallets: WalletLedger,
    private readonly idempotent: IdempotentExecutor,
    private readonly events: IntegrationEvents,
  ) {}

  execute({ principal, items, idempotencyKey }: PlaceOrderCommand): Promise<OrderView> {
    return this.idempotent.run(
      {
        principalId: principal.id,
        key: idempotencyKey,
        operation: 'place-order',
        target: principal.id,
        body: { items },
      },
      async (manager) => {
        const products = await this.stock.lock(
          manager,
          items.map((item) => item.productId),
        );
        const missing = items.map((item) => item.productId).filter((id) => !products.has(id));
        if (missing.length > 0) throw new ProductNotFoundError(missing);
        const customer = await this.wallets.lock(manager, principal.id);
        if (!customer) throw new UnauthenticatedError('The customer of this token no longer exists.');

        const placement = decidePlacement(items, products, customer.balanceCents);
        const now = new Date();
        const order: OrderEntity = {
          id: randomUUID(),
          customerId: customer.id,
          totalCents: placement.totalCents,
          status: placement.status,
          rejectionReason: placement.rejectionReason,
          createdAt: now,
          updatedAt: now,
        };
        const orderItems: OrderItemEntity[] = placement.lines.map((line, position) => ({
          orderId: order.id,
          position,
          ...line,
        }));
        await manager.insert(OrderEntity, order);
        await manager.insert(OrderItemEntity, orderItems);
        if (placement.status === 'APPROVED') {
          await this.stock.move(manager, products, items, {
            kind: 'order',
            sign: -1,
            reason: `order ${order.id}`,
            orderId: order.id,
            at: now,
          });
          await this.wallets.change(manager, customer, -placement.totalCents, {
            kind: 'order_debit',
            orderId: order.id,
            at: now,
          });
        }
        await this.events.record(
          manager,
          OrderPlacedEvent,
          {
            orderId: order.id,
            customerId: order.customerId,
            items: placement.lines.map(({ productId, quantity, unitPriceCents }) => ({
              productId,
              quantity,
              unitPriceCents,
            })),
            totalCents: order.totalCents,
            status: placement.status,
            rejectionReason: placement.rejectionReason,
            createdAt: now.toISOString(),
          },
          { occurredAt: now },
        );
        return toOrderView(order, orderItems);
      },
    );
  }
}

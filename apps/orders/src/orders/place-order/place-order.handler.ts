import { randomUUID } from 'node:crypto';
import { Inject } from '@nestjs/common';
import { CommandHandler, ICommandHandler } from '@nestjs/cqrs';
import { In } from 'typeorm';
import { UnauthenticatedError } from '@app/auth';
import { UnitOfWork } from '@app/database';
import { IdempotentExecutor } from '@app/idempotency';
import { reportPositions } from '@app/outbox';
import { SAGA_RUNNER, type SagaRunner } from '@app/sagas';
import { type OrderView, ProductNotFoundError, priceOrder, toOrderView } from '@app/shop-api';
import { type OrdersConfig, ordersConfig } from '../../orders.config';
import { ProductPriceEntity } from '../../shoppers/product-price.entity';
import { ShopperEntity } from '../../shoppers/shopper.entity';
import { OrderItemEntity } from '../order-item.entity';
import { OrderEntity } from '../order.entity';
import { orderViewOf } from '../order-views';
import { PlaceOrderCommand } from './place-order.command';
import { awaitedWrites } from './awaited-writes';
import { PLACE_ORDER_SAGA } from './place-order.saga';

/**
 * Places an order as the monolith does, in the monolith's order of checks (every product exists,
 * then the customer does), pricing each item at the product's current price: the order is stored
 * `PENDING` and its saga begun in one transaction (with the `Idempotency-Key`), then the request
 * waits for the saga's end (`ORDERS_SAGA_WAIT_MS`) and answers the order as it then is.
 */
@CommandHandler(PlaceOrderCommand)
export class PlaceOrderHandler implements ICommandHandler<PlaceOrderCommand> {
  constructor(
    private readonly uow: UnitOfWork,
    private readonly idempotent: IdempotentExecutor,
    @Inject(SAGA_RUNNER) private readonly sagas: SagaRunner,
    @Inject(ordersConfig.KEY) private readonly config: OrdersConfig,
  ) {}

  async execute({ principal, items, idempotencyKey, awaited }: PlaceOrderCommand): Promise<OrderView> {
    const recorded = await this.idempotent.run(
      {
        principalId: principal.id,
        key: idempotencyKey,
        operation: 'place-order',
        target: principal.id,
        body: { items },
      },
      async (manager) => {
        const ids = items.map((item) => item.productId);
        const prices = await manager.find(ProductPriceEntity, { where: { productId: In(ids) } });
        const priceOf = new Map(prices.map((product) => [product.productId, product.priceCents]));
        const missing = ids.filter((id) => !priceOf.has(id));
        if (missing.length > 0) throw new ProductNotFoundError(missing);
        if (!(await manager.exists(ShopperEntity, { where: { customerId: principal.id } }))) {
          throw new UnauthenticatedError('The customer of this token no longer exists.');
        }

        const { lines, totalCents } = priceOrder(items, (id) => priceOf.get(id));
        const now = new Date();
        const order: OrderEntity = {
          id: randomUUID(),
          customerId: principal.id,
          totalCents,
          status: 'PENDING',
          rejectionReason: null,
          createdAt: now,
          updatedAt: now,
        };
        const orderItems: OrderItemEntity[] = lines.map((line, position) => ({ orderId: order.id, position, ...line }));
        await manager.insert(OrderEntity, order);
        await manager.insert(OrderItemEntity, orderItems);
        const idempotency = idempotencyKey === undefined ? null : { principalId: principal.id, key: idempotencyKey };
        await this.sagas.begin(
          PLACE_ORDER_SAGA,
          {
            orderId: order.id,
            customerId: order.customerId,
            lines,
            totalCents,
            idempotency,
            awaits: awaitedWrites(awaited, order.customerId, ids),
          },
          { id: order.id, manager },
        );
        return toOrderView(order, orderItems);
      },
    );
    // A repeat whose first answer is settled gets it as it was; otherwise both wait for the end.
    if (recorded.status !== 'PENDING') return recorded;
    const ended = await this.sagas.awaitEnd(recorded.id, this.config.sagaWaitMs);
    // The stock and wallet changes inventory and payments committed: later reads wait for them too.
    reportPositions(ended.positions);
    return (await this.uow.read((manager) => orderViewOf(manager, recorded.id))) ?? recorded;
  }
}

import { CommandHandler, ICommandHandler } from '@nestjs/cqrs';
import type { EntityManager } from 'typeorm';
import type { ReserveStockReply } from '@app/contracts';
import { UnitOfWork } from '@app/database';
import { InventoryError } from '../../inventory-errors';
import { StockLedger, byProductId } from '../../stock/stock-ledger';
import { ReservationLineEntity } from '../reservation-line.entity';
import { ReservationEntity } from '../reservation.entity';
import { ReservationStore, sameItems } from '../reservation-store';
import { ReservationItem, ReserveStockCommand } from './reserve-stock.command';
import { decideReservation } from './reserve-stock.decision';

/**
 * Reserves an order's stock in one transaction, all or nothing, idempotent by order id:
 * claims the order's reservation row first (a repeat finds it and answers the stored
 * reply), locks the products in id order, decides, and on success takes the stock with a
 * `stock.adjusted` (`order`) per product. A rejection is stored too.
 */
@CommandHandler(ReserveStockCommand)
export class ReserveStockHandler implements ICommandHandler<ReserveStockCommand> {
  constructor(
    private readonly uow: UnitOfWork,
    private readonly stock: StockLedger,
    private readonly reservations: ReservationStore,
  ) {}

  execute({ orderId, items }: ReserveStockCommand): Promise<ReserveStockReply> {
    return this.uow.transaction(async (manager) => {
      if (!(await this.reservations.claim(manager, orderId, 'REJECTED', new Date()))) {
        return this.repeat(manager, orderId, items);
      }
      await manager.insert(
        ReservationLineEntity,
        items.map(({ productId, quantity }) => ({ orderId, productId, quantity })),
      );
      const records = await this.stock.lock(
        manager,
        items.map((item) => item.productId),
      );
      // Taken once the locks are held, so a product's changes carry times in the order they commit.
      const now = new Date();
      const reply = decideReservation(items, new Map([...records].map(([id, record]) => [id, record.stock])));
      if (reply.status === 'RESERVED') {
        for (const item of [...items].sort(byProductId)) {
          const record = records.get(item.productId);
          if (!record) throw new Error(`Product ${item.productId} was not locked before taking its stock`);
          await this.stock.change(manager, record, -item.quantity, {
            kind: 'order',
            note: `order ${orderId}`,
            orderId,
            at: now,
          });
        }
      }
      await manager.update(
        ReservationEntity,
        { orderId },
        { status: reply.status, reply: JSON.stringify(reply), updatedAt: now },
      );
      return reply;
    });
  }

  /** A repeat: the first reply, if it asks for the same items. */
  private async repeat(
    manager: EntityManager,
    orderId: string,
    items: readonly ReservationItem[],
  ): Promise<ReserveStockReply> {
    const reservation = await manager.findOneByOrFail(ReservationEntity, { orderId });
    if (reservation.status === 'CLOSED' || reservation.reply === null) {
      throw new InventoryError(
        'RESERVATION_CLOSED',
        `Order ${orderId} was released before it was reserved; no stock is taken for it.`,
      );
    }
    if (!sameItems(await this.reservations.lines(manager, orderId), items)) {
      throw new InventoryError(
        'RESERVATION_CONFLICT',
        `Order ${orderId} was already asked to reserve other items; a repeat must name the same items and quantities.`,
      );
    }
    return JSON.parse(reservation.reply) as ReserveStockReply;
  }
}

import { Injectable } from '@nestjs/common';
import type { EntityManager } from 'typeorm';
import type { StockAdjustedData } from '@app/contracts';
import type { ProductStockEntity } from '../../stock/product-stock.entity';
import { StockLedger } from '../../stock/stock-ledger';
import { ReservationLineEntity } from '../reservation-line.entity';
import { ReservationEntity, type ReservationStatus } from '../reservation.entity';
import { ReservationStore } from '../reservation-store';
import { decideForeignOrderLine, foreignCancellationStatus, withReservedItem } from './foreign-orders.decision';

/** An order's reservation, claimed or locked for another origin's `stock.adjusted` of that order. */
export interface OpenedReservation {
  readonly orderId: string;
  /** Its status before this event; null when this event made the row. */
  readonly previous: ReservationStatus | null;
  readonly reply: string | null;
}

/**
 * Keeps the reservations of orders another origin (the monolith) placed or cancelled, from
 * its `stock.adjusted` events, so that `inventory.release-stock` can give back the stock of
 * an order the monolith placed, and gives nothing back twice for an order the monolith
 * cancelled. Used by the handler of foreign `stock.adjusted`, inside its transaction:
 * `open` before the product is locked (the order's row first, then products: the lock
 * order of every transaction here), `record` once the change is applied.
 */
@Injectable()
export class ForeignOrderReservations {
  constructor(
    private readonly reservations: ReservationStore,
    private readonly stock: StockLedger,
  ) {}

  /**
   * Claims (as `RESERVED` for an order, `CANCELLED` for a cancellation) or locks the
   * reservation of the event's order; null for an adjustment, which concerns no order.
   */
  async open(manager: EntityManager, data: StockAdjustedData): Promise<OpenedReservation | null> {
    if (data.reason === 'adjustment' || data.orderId === null) return null;
    const status: ReservationStatus = data.reason === 'order' ? 'RESERVED' : 'CANCELLED';
    const { reservation, created } = await this.reservations.claimOrLock(manager, data.orderId, status, new Date());
    return { orderId: data.orderId, previous: created ? null : reservation.status, reply: reservation.reply };
  }

  /**
   * Records the applied change on the opened reservation: an order's line (put back at once
   * if the order was already released here), or a cancellation (`RESERVED` becomes
   * `CANCELLED`). `record` is the product's locked stock record, after the change.
   */
  async record(
    manager: EntityManager,
    opened: OpenedReservation,
    data: StockAdjustedData,
    record: ProductStockEntity,
  ): Promise<void> {
    const { orderId } = opened;
    if (data.reason === 'cancellation') {
      const status = foreignCancellationStatus(opened.previous);
      if (opened.previous !== null && status !== opened.previous) {
        await manager.update(ReservationEntity, { orderId }, { status, updatedAt: new Date() });
      }
      return;
    }

    const quantity = -data.delta;
    const hasLine = await manager.exists(ReservationLineEntity, { where: { orderId, productId: record.productId } });
    const decision = decideForeignOrderLine(opened.previous, hasLine);
    if (!decision.record) return;
    await manager.insert(ReservationLineEntity, { orderId, productId: record.productId, quantity });
    const reply = decision.reply
      ? withReservedItem(opened.reply, { productId: record.productId, quantity, stock: record.stock })
      : opened.reply;
    await manager.update(ReservationEntity, { orderId }, { reply, updatedAt: new Date() });
    if (decision.putBack) {
      // Not before the change just applied (its time is the other side's clock), so the ledger keeps their order.
      const at = new Date(Math.max(Date.now(), record.updatedAt.getTime()));
      await this.stock.change(manager, record, quantity, {
        kind: 'cancellation',
        note: `cancellation of order ${orderId}`,
        orderId,
        at,
      });
    }
  }
}

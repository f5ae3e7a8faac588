import { Injectable } from '@nestjs/common';
import type { EntityManager } from 'typeorm';
import { ApplyIntegrationEvents, IntegrationEventsHandler, StockAdjustedEvent } from '@app/integration-events';
import { InventoryError } from '../../inventory-errors';
import { ForeignOrderReservations } from '../../reservations/foreign-orders/foreign-order-reservations';
import { StockLedger } from '../stock-ledger';

/**
 * `stock.adjusted` made elsewhere (the monolith's adjustments, orders and cancellations):
 * the delta is applied and written to the ledger. A product not known yet, or a change that
 * would take the stock below zero, throws: the message comes again later (the product's
 * creation, or another origin's change, may still be on its way).
 *
 * An order's or a cancellation's event is also recorded on the order's reservation, in the
 * same transaction (`ForeignOrderReservations`): the order's row is claimed or locked
 * first, then the product, the lock order of every transaction here. Registered in
 * `ReservationsModule`, which has both the ledger and the reservations.
 */
@Injectable()
@ApplyIntegrationEvents(StockAdjustedEvent)
export class ApplyStockAdjustedHandler implements IntegrationEventsHandler<StockAdjustedEvent> {
  constructor(
    private readonly stock: StockLedger,
    private readonly reservations: ForeignOrderReservations,
  ) {}

  async handle({ data }: StockAdjustedEvent, manager: EntityManager): Promise<void> {
    const reservation = await this.reservations.open(manager, data);
    const record = (await this.stock.lock(manager, [data.productId])).get(data.productId);
    if (!record) {
      throw new InventoryError(
        'STOCK_EVENT_NOT_APPLICABLE',
        `${data.id}: product ${data.productId} is not known here yet.`,
      );
    }
    if (record.stock + data.delta < 0) {
      throw new InventoryError(
        'STOCK_EVENT_NOT_APPLICABLE',
        `${data.id}: the stock of ${data.productId} is ${record.stock} here; a change of ${data.delta} would take it below zero.`,
      );
    }
    await this.stock.applyForeign(manager, record, data.delta, {
      kind: data.reason,
      note: data.note,
      orderId: data.orderId,
      at: new Date(data.updatedAt),
    });
    if (reservation) await this.reservations.record(manager, reservation, data, record);
  }
}

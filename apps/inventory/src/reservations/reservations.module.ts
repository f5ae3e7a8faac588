import { Module } from '@nestjs/common';
import { ApplyStockAdjustedHandler } from '../stock/apply-product-events/apply-stock-adjusted.handler';
import { StockModule } from '../stock/stock.module';
import { ForeignOrderReservations } from './foreign-orders/foreign-order-reservations';
import { ReleaseStockHandler } from './release-stock/release-stock.handler';
import { ReleaseStockMessageController } from './release-stock/release-stock.message.controller';
import { ReservationStore } from './reservation-store';
import { ReserveStockHandler } from './reserve-stock/reserve-stock.handler';
import { ReserveStockMessageController } from './reserve-stock/reserve-stock.message.controller';

/**
 * The order saga's stock commands: reserve an order's stock, release it; and the
 * reservations of orders other origins placed or cancelled, recorded while their
 * `stock.adjusted` is applied (`ApplyStockAdjustedHandler`, which lives with the stock's
 * other event handlers but needs the reservations).
 */
@Module({
  imports: [StockModule],
  controllers: [ReserveStockMessageController, ReleaseStockMessageController],
  providers: [
    ReservationStore,
    ReserveStockHandler,
    ReleaseStockHandler,
    ForeignOrderReservations,
    ApplyStockAdjustedHandler,
  ],
})
export class ReservationsModule {}

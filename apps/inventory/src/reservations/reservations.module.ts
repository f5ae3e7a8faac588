import { Module } from '@nestjs/common';
import { StockModule } from '../stock/stock.module';
import { ReleaseStockHandler } from './release-stock/release-stock.handler';
import { ReleaseStockMessageController } from './release-stock/release-stock.message.controller';
import { ReservationStore } from './reservation-store';
import { ReserveStockHandler } from './reserve-stock/reserve-stock.handler';
import { ReserveStockMessageController } from './reserve-stock/reserve-stock.message.controller';

/** The order saga's stock commands: reserve an order's stock, release it. */
@Module({
  imports: [StockModule],
  controllers: [ReserveStockMessageController, ReleaseStockMessageController],
  providers: [ReservationStore, ReserveStockHandler, ReleaseStockHandler],
})
export class ReservationsModule {}

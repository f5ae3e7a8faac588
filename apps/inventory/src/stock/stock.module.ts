import { Module } from '@nestjs/common';
import { AdjustStockHandler } from './adjust-stock/adjust-stock.handler';
import { AdjustStockHttpController } from './adjust-stock/adjust-stock.http.controller';
import { ApplyProductCreatedHandler } from './apply-product-events/apply-product-created.handler';
import { ApplyProductSnapshotHandler } from './apply-product-events/apply-product-snapshot.handler';
import { StockLedger } from './stock-ledger';

/**
 * The stock of every product: built from the catalog's events, adjusted by admins, changed
 * by other services (their `stock.adjusted` is applied by `ApplyStockAdjustedHandler`,
 * registered in `ReservationsModule` since it records orders' reservations too).
 */
@Module({
  controllers: [AdjustStockHttpController],
  providers: [StockLedger, ApplyProductCreatedHandler, ApplyProductSnapshotHandler, AdjustStockHandler],
  exports: [StockLedger],
})
export class StockModule {}

import { CommandHandler, ICommandHandler } from '@nestjs/cqrs';
import { UnitOfWork } from '@app/database';
import { ProductNotFoundError, type StockAdjustmentView, StockNegativeError } from '@app/shop-api';
import { StockLedger } from '../stock-ledger';
import { AdjustStockCommand } from './adjust-stock.command';

/**
 * Adjusts a product's stock in one transaction, as the monolith does: the product must
 * exist (404) and its stock may not go below zero (409, nothing changes). Records
 * `stock.adjusted` (`reason: adjustment`, the request's reason as `note`) with the change.
 */
@CommandHandler(AdjustStockCommand)
export class AdjustStockHandler implements ICommandHandler<AdjustStockCommand> {
  constructor(
    private readonly uow: UnitOfWork,
    private readonly stock: StockLedger,
  ) {}

  execute({ productId, delta, reason }: AdjustStockCommand): Promise<StockAdjustmentView> {
    return this.uow.transaction(async (manager) => {
      const record = (await this.stock.lock(manager, [productId])).get(productId);
      if (!record) throw new ProductNotFoundError([productId]);
      if (record.stock + delta < 0) throw new StockNegativeError(record.stock, delta);
      await this.stock.change(manager, record, delta, {
        kind: 'adjustment',
        note: reason,
        orderId: null,
        at: new Date(),
      });
      return { productId, delta, stock: record.stock };
    });
  }
}

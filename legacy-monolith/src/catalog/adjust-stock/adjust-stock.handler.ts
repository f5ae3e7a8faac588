import { CommandHandler, ICommandHandler } from '@nestjs/cqrs';
import { UnitOfWork } from '@app/database';
import { ProductNotFoundError, type StockAdjustmentView, StockNegativeError } from '@app/shop-api';
import { StockLedger } from '../stock/stock-ledger';
import { AdjustStockCommand } from './adjust-stock.command';

@CommandHandler(AdjustStockCommand)
export class AdjustStockHandler implements ICommandHandler<AdjustStockCommand> {
  constructor(
    private readonly uow: UnitOfWork,
    private readonly stock: StockLedger,
  ) {}

  execute({ productId, delta, reason }: AdjustStockCommand): Promise<StockAdjustmentView> {
    return this.uow.transaction(async (manager) => {
      const products = await this.stock.lock(manager, [productId]);
      const product = products.get(productId);
      if (!product) throw new ProductNotFoundError([productId]);
      if (product.stock + delta < 0) throw new StockNegativeError(product.stock, delta);
      await this.stock.move(manager, products, [{ productId, quantity: Math.abs(delta) }], {
        kind: 'adjustment',
        sign: delta > 0 ? 1 : -1,
        reason,
        orderId: null,
        at: new Date(),
      });
      return { productId, delta, stock: product.stock };
    });
  }
}

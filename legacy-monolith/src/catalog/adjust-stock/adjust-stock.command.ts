import { Command } from '@nestjs/cqrs';
import { type StockAdjustmentView } from '@app/shop-api';

export class AdjustStockCommand extends Command<StockAdjustmentView> {
  constructor(
    readonly productId: string,
    readonly delta: number,
    readonly reason: string,
  ) {
    super();
  }
}

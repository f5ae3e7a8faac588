import { Command } from '@nestjs/cqrs';
import type { StockAdjustmentView } from './adjust-stock.schema';

export class AdjustStockCommand extends Command<StockAdjustmentView> {
  constructor(
    readonly productId: string,
    readonly delta: number,
    readonly reason: string,
  ) {
    super();
  }
}

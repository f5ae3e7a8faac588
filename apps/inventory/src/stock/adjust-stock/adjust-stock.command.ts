import { Command } from '@nestjs/cqrs';
import { type StockAdjustmentView } from '@app/shop-api';

/** Add to or take from a product's stock (an admin's manual adjustment). */
export class AdjustStockCommand extends Command<StockAdjustmentView> {
  constructor(
    readonly productId: string,
    readonly delta: number,
    readonly reason: string,
  ) {
    super();
  }
}

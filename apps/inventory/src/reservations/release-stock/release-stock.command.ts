import { Command } from '@nestjs/cqrs';
import type { ReleaseStockReply } from '@app/contracts';

/** Put back the stock reserved for an order (`inventory.release-stock`, the saga's compensation). */
export class ReleaseStockCommand extends Command<ReleaseStockReply> {
  constructor(readonly orderId: string) {
    super();
  }
}

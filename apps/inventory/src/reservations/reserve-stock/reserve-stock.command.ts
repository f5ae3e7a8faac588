import { Command } from '@nestjs/cqrs';
import type { ReserveStockReply } from '@app/contracts';

/** One item of a reservation: a product and how many of it. */
export interface ReservationItem {
  readonly productId: string;
  readonly quantity: number;
}

/** Take the stock of an order's items, all or nothing (`inventory.reserve-stock`). */
export class ReserveStockCommand extends Command<ReserveStockReply> {
  constructor(
    readonly orderId: string,
    readonly items: readonly ReservationItem[],
  ) {
    super();
  }
}

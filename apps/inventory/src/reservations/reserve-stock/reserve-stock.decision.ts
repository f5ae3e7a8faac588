import type { ReserveStockReply } from '@app/contracts';
import type { ReservationItem } from './reserve-stock.command';

/**
 * Decides a reservation from the current stock of its products (absent: unknown product),
 * as the monolith decides an order: unknown products first (`PRODUCT_NOT_FOUND`), then
 * stock (`OUT_OF_STOCK`, naming every product short), otherwise `RESERVED` with each
 * item's resulting stock. Ids are listed in the order of the request.
 */
export function decideReservation(
  items: readonly ReservationItem[],
  stocks: ReadonlyMap<string, number>,
): ReserveStockReply {
  const missing = items.filter((item) => !stocks.has(item.productId)).map((item) => item.productId);
  if (missing.length > 0) return { status: 'REJECTED', reason: 'PRODUCT_NOT_FOUND', productIds: missing };
  const short = items.filter((item) => (stocks.get(item.productId) ?? 0) < item.quantity).map((item) => item.productId);
  if (short.length > 0) return { status: 'REJECTED', reason: 'OUT_OF_STOCK', productIds: short };
  return {
    status: 'RESERVED',
    items: items.map(({ productId, quantity }) => ({
      productId,
      quantity,
      stock: (stocks.get(productId) ?? 0) - quantity,
    })),
  };
}

import type { ReserveStockReply } from '@app/contracts';
import type { ReservationStatus } from '../reservation.entity';

/** What to do with one product's `stock.adjusted` (`order`) of another origin, for the order's reservation here. */
export interface ForeignOrderLineDecision {
  /** Store the line (product, quantity) in `reservation_lines`. */
  readonly record: boolean;
  /** Add the item to the reservation's stored `RESERVED` reply (what a repeat of `inventory.reserve-stock` answers). */
  readonly reply: boolean;
  /**
   * Put the line's stock back here at once (a `stock.adjusted` `cancellation` of inventory's own):
   * the order was already released or closed here, so nothing else will ever give it back.
   */
  readonly putBack: boolean;
}

const IGNORE: ForeignOrderLineDecision = { record: false, reply: false, putBack: false };

/**
 * Decides how another origin's order line (one product of an order it placed, its stock
 * already taken there and applied here) is recorded on the order's reservation, from the
 * reservation's status before the event (`null`: this event made it) and whether the
 * reservation already has a line for the product:
 * - new or `RESERVED`: a line of the reservation, so a release puts it back;
 * - `CANCELLED` (the other side's cancellation of the order came first, for another
 *   product): recorded as released; that side's cancellation of this product follows and
 *   puts the stock back, in this product's order;
 * - `RELEASED` (released here before this line arrived) or `CLOSED` (released here before
 *   anything of the order arrived): the order's release has already been answered, so the
 *   line's stock is put back here at once; a `CLOSED` order keeps no reply, so a late
 *   `inventory.reserve-stock` of it still answers `RESERVATION_CLOSED`;
 * - `REJECTED` (inventory refused this order id to the saga), or a line of the product
 *   already there: left as it is; the stored outcome stands (the change itself is applied).
 */
export function decideForeignOrderLine(previous: ReservationStatus | null, hasLine: boolean): ForeignOrderLineDecision {
  if (hasLine) return IGNORE;
  switch (previous) {
    case null:
    case 'RESERVED':
    case 'CANCELLED':
      return { record: true, reply: true, putBack: false };
    case 'RELEASED':
      return { record: true, reply: true, putBack: true };
    case 'CLOSED':
      return { record: true, reply: false, putBack: true };
    case 'REJECTED':
      return IGNORE;
  }
}

/**
 * The status a reservation takes when another origin's cancellation of its order is
 * applied: a `RESERVED` one becomes `CANCELLED` (the other side put the stock back, so a
 * release here answers `RELEASED` and changes nothing); any other stays as it is. `null`
 * (no reservation yet) becomes `CANCELLED` too, so lines of the order arriving later are
 * recorded as released.
 */
export function foreignCancellationStatus(previous: ReservationStatus | null): ReservationStatus {
  return previous === null || previous === 'RESERVED' ? 'CANCELLED' : previous;
}

/**
 * The stored reply with one more reserved item: what `inventory.reserve-stock` would have
 * answered had it taken the order's items here (each with the stock it left). Starts a
 * `RESERVED` reply when there is none yet.
 */
export function withReservedItem(
  reply: string | null,
  item: { readonly productId: string; readonly quantity: number; readonly stock: number },
): string {
  const previous = reply === null ? null : (JSON.parse(reply) as ReserveStockReply);
  const items = previous?.status === 'RESERVED' ? previous.items : [];
  const next: ReserveStockReply = { status: 'RESERVED', items: [...items, item] };
  return JSON.stringify(next);
}

import { ChargeWallet, RefundWallet, ReleaseStock, ReserveStock } from '@app/contracts';
import { type Saga, type StepResult, defineSaga } from '@app/sagas';
import { sagaCommand } from '../saga-command';
import { type AwaitedWrites, awaiting } from './awaited-writes';
import type { OrderLine, RejectionReason } from '@app/shop-api';

/** What a placement's saga carries from step to step (stored with the instance, whose id is the order's). */
export interface PlaceOrderData {
  readonly orderId: string;
  readonly customerId: string;
  readonly lines: readonly OrderLine[];
  readonly totalCents: number;
  /** The caller's `Idempotency-Key`, whose recorded answer becomes the final order at the end. */
  readonly idempotency: { readonly principalId: string; readonly key: string } | null;
  /** Writes of other sides the commands must follow (absent in instances begun before it existed). */
  readonly awaits?: AwaitedWrites;
}

export const PLACE_ORDER_SAGA_NAME = 'place-order';

/**
 * The business reasons the steps refuse for: a rejected order, exactly as the monolith decides it
 * (the stock is reserved first, so `OUT_OF_STOCK` wins over `INSUFFICIENT_FUNDS`).
 */
export const REJECTIONS: Readonly<Record<string, RejectionReason>> = {
  'reserve-stock': 'OUT_OF_STOCK',
  'charge-wallet': 'INSUFFICIENT_FUNDS',
};

/**
 * Reads a reply (checked against its contract). A product or customer the other service does not
 * know yet (its events still on their way: orders knew it, or it would have answered 404/401) is
 * not a business refusal: thrown, so the step is tried again.
 */
function reserved(reply: unknown): StepResult<PlaceOrderData> {
  const answer = ReserveStock.replySchema.parse(reply);
  if (answer.status === 'RESERVED') return { kind: 'succeeded' };
  if (answer.reason === 'OUT_OF_STOCK') return { kind: 'refused', reason: 'OUT_OF_STOCK' };
  throw new Error(`inventory does not know ${answer.productIds.join(', ')} yet`);
}

function charged(reply: unknown): StepResult<PlaceOrderData> {
  const answer = ChargeWallet.replySchema.parse(reply);
  if (answer.status === 'CHARGED') return { kind: 'succeeded' };
  if (answer.reason === 'INSUFFICIENT_FUNDS') return { kind: 'refused', reason: 'INSUFFICIENT_FUNDS' };
  throw new Error('payments does not know the customer yet');
}

/**
 * Placing an order: take the stock (inventory), then charge the wallet (payments); a refusal
 * puts back what was done, in reverse order. A failure to get an answer is tried again for about
 * two minutes (services restarting), then counts as failed, and what was done is undone.
 */
export const PLACE_ORDER_SAGA: Saga<PlaceOrderData> = defineSaga<PlaceOrderData>({
  name: PLACE_ORDER_SAGA_NAME,
  retry: { maxAttempts: 30, maxCompensationAttempts: 1_000, baseDelayMs: 200, maxDelayMs: 5_000 },
  steps: [
    {
      name: 'reserve-stock',
      command: (order) =>
        sagaCommand(
          ReserveStock,
          { orderId: order.orderId, items: order.lines.map(({ productId, quantity }) => ({ productId, quantity })) },
          awaiting(order.awaits?.stock ?? null),
        ),
      reply: reserved,
      compensation: {
        command: (order) => sagaCommand(ReleaseStock, { orderId: order.orderId }),
      },
    },
    {
      name: 'charge-wallet',
      // Nothing to charge for free products (the contract asks for at least 1 cent).
      command: (order) =>
        order.totalCents === 0
          ? null
          : sagaCommand(
              ChargeWallet,
              { orderId: order.orderId, customerId: order.customerId, amountCents: order.totalCents },
              awaiting(order.awaits?.wallet ?? null),
            ),
      reply: charged,
      compensation: {
        command: (order) =>
          order.totalCents === 0
            ? null
            : sagaCommand(RefundWallet, { orderId: order.orderId, customerId: order.customerId }),
      },
    },
  ],
});

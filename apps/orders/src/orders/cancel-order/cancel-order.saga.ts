import { RefundWallet, ReleaseStock } from '@app/contracts';
import { type Saga, defineSaga } from '@app/sagas';
import { sagaCommand } from '../saga-command';

/** What a cancellation's saga carries. */
export interface CancelOrderData {
  readonly orderId: string;
  readonly customerId: string;
  readonly totalCents: number;
  /** When the cancellation was decided (the order's `updatedAt` and the event's `cancelledAt`). */
  readonly cancelledAt: string;
}

export const CANCEL_ORDER_SAGA_NAME = 'cancel-order';

/**
 * Cancelling an approved order: put the stock back (inventory), then refund the wallet
 * (payments). Neither can refuse (both answer for an order they never saw), so the steps are
 * tried again until they are done: with a 10 s wait between tries, for about 3 hours.
 */
export const CANCEL_ORDER_SAGA: Saga<CancelOrderData> = defineSaga<CancelOrderData>({
  name: CANCEL_ORDER_SAGA_NAME,
  retry: { maxAttempts: 1_000, maxCompensationAttempts: 1, baseDelayMs: 200, maxDelayMs: 10_000 },
  steps: [
    {
      name: 'release-stock',
      command: (order) => sagaCommand(ReleaseStock, { orderId: order.orderId }),
      reply: (reply) => (ReleaseStock.replySchema.parse(reply), { kind: 'succeeded' }),
    },
    {
      name: 'refund-wallet',
      command: (order) =>
        order.totalCents === 0
          ? null
          : sagaCommand(RefundWallet, { orderId: order.orderId, customerId: order.customerId }),
      reply: (reply) => (RefundWallet.replySchema.parse(reply), { kind: 'succeeded' }),
    },
  ],
});

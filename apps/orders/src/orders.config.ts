import { registerAs } from '@nestjs/config';
import { env, parseEnv } from '@app/service-defaults';

/** How long `POST /api/orders` and `POST /api/orders/{id}/cancel` wait for their saga's end by default. */
export const DEFAULT_ORDERS_SAGA_WAIT_MS = 3_000;

export interface OrdersConfig {
  /**
   * `ORDERS_SAGA_WAIT_MS`: how long a placement or cancellation waits for its saga's end before
   * answering (a placement then answers `PENDING`; a later read shows the final status).
   */
  readonly sagaWaitMs: number;
}

/** The `orders` configuration area. */
export const ordersConfig = registerAs('orders', (): OrdersConfig => {
  const vars = parseEnv(process.env, {
    ORDERS_SAGA_WAIT_MS: env.integer({ min: 0, max: 600_000, default: DEFAULT_ORDERS_SAGA_WAIT_MS }),
  });
  return Object.freeze({ sagaWaitMs: vars.ORDERS_SAGA_WAIT_MS });
});

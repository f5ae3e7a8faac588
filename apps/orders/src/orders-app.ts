import type { NestExpressApplication } from '@nestjs/platform-express';
import { connectIntegrationEvents } from '@app/integration-events';
import { createHttpService } from '@app/service-defaults';
import { OrdersAppModule } from './orders-app.module';

export const ORDERS_API_VERSION = '1.0.0';

/**
 * Builds orders, configured from the environment and ready to serve, without listening (tests
 * call this; `main.ts` listens). Its streams server is started: it applies other services'
 * customer, product and order events, and its sagas send commands to inventory and payments.
 */
export async function buildOrdersApp(): Promise<NestExpressApplication> {
  const app = await createHttpService(OrdersAppModule, {
    openApi: {
      title: 'Ficus orders',
      version: ORDERS_API_VERSION,
      description: [
        'Orders, extracted from the monolith. Over HTTP it serves `POST /api/orders`, `GET /api/orders`, ',
        '`GET /api/orders/{id}` and `POST /api/orders/{id}/cancel` of the public API, answered as the monolith ',
        'answers them; every error has the body `{ statusCode, error, code, message }`.',
        '',
        'A placement runs as a saga: the stock is reserved (inventory), then the wallet charged (payments); a ',
        'refusal undoes what was done, in reverse order. The answer carries the final status when the saga ends ',
        'within `ORDERS_SAGA_WAIT_MS` (3 s by default); past it, `PENDING`, and a later read shows the final status.',
        '',
        'Checks run in the monolith’s order: the body is read (400 `MALFORMED_JSON`, 413), then authentication ',
        '(401), the role (403 for an admin placing an order), input validation (400), the `Idempotency-Key` (a ',
        'repeat answers as the first time; 422 for another body), every product exists (404 `PRODUCT_NOT_FOUND`), ',
        'the customer exists (401), then the stock (`OUT_OF_STOCK`) before the funds (`INSUFFICIENT_FUNDS`).',
      ].join('\n'),
    },
  });
  try {
    await connectIntegrationEvents(app);
  } catch (error) {
    await app.close();
    throw error;
  }
  return app;
}

import type { NestExpressApplication } from '@nestjs/platform-express';
import { connectIntegrationEvents } from '@app/integration-events';
import { createHttpService } from '@app/service-defaults';
import { PaymentsAppModule } from './payments-app.module';

export const PAYMENTS_API_VERSION = '1.0.0';

/**
 * Builds payments, configured from the environment and ready to serve, without listening
 * (tests call this; `main.ts` listens). Its streams server is started: it applies other
 * services' customer and wallet events and answers `payments.*` requests from
 * `<REDIS_PREFIX>req:payments` (`REDIS_URL`).
 */
export async function buildPaymentsApp(): Promise<NestExpressApplication> {
  const app = await createHttpService(PaymentsAppModule, {
    openApi: {
      title: 'Ficus payments',
      version: PAYMENTS_API_VERSION,
      description: [
        'Wallets, extracted from the monolith. Over HTTP it serves `POST /api/customers/{id}/deposits` of the public ',
        'API, answered exactly as the monolith answers it; every error has the body `{ statusCode, error, code, message }`.',
        '',
        'Choices where the API contract is silent (the same as the monolith):',
        '- Checks run in this order: the body is read (400 `MALFORMED_JSON`, 413 `PAYLOAD_TOO_LARGE`), then ',
        '  authentication (401), input validation (400), then the use case (403 when a customer deposits into ',
        '  another wallet, then 404).',
        '- Path ids are matched case-insensitively; a request body that is not JSON is treated as missing and fails ',
        '  validation; integers in bodies must be JSON numbers without a fraction.',
        '- Idempotency keys are scoped to the caller (the token `sub`) and cover the route and its target; only 201 ',
        '  answers are recorded. A key is kept 24 hours (`IDEMPOTENCY_TTL_HOURS`).',
        '',
        'Eventual consistency: payments knows a customer once it has applied `customer.registered` (or a backfill ',
        'snapshot) from the monolith; until then a deposit answers 404 `CUSTOMER_NOT_FOUND`.',
        '',
        'Over Redis streams (not in this document) it answers the saga commands `payments.charge-wallet` and ',
        '`payments.refund-wallet` of `@app/contracts`, and publishes `wallet.credited` / `wallet.debited`.',
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

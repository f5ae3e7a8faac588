import type { NestExpressApplication } from '@nestjs/platform-express';
import { connectIntegrationEvents } from '@app/integration-events';
import { createHttpService } from '@app/service-defaults';
import { LegacyAppModule } from './legacy-app.module';

export const LEGACY_API_VERSION = '1.0.0';

/**
 * Builds the monolith, configured from the environment and ready to serve, without
 * listening (tests call this; `main.ts` listens). Its event consumer is started: it reads
 * other services' integration events from Redis (`REDIS_URL`, `REDIS_PREFIX`).
 */
export async function buildLegacyApp(): Promise<NestExpressApplication> {
  const app = await createHttpService(LegacyAppModule, {
    openApi: {
      title: 'Ficus shop: public API',
      version: LEGACY_API_VERSION,
      description: [
        'The public API of the shop, served by the legacy monolith and, route by route, by the extracted services ',
        'behind the strangler facade. Every error has the body `{ statusCode, error, code, message }` with a stable `code`.',
        '',
        'Choices where the API contract is silent:',
        '- Checks run in this order: the body is read (400 `MALFORMED_JSON`, 413 `PAYLOAD_TOO_LARGE`), then ',
        '  authentication (401), role (403), input validation (400), then the use case (which may answer 403 when a ',
        '  customer acts on another customer, and 404).',
        '- Path ids are matched case-insensitively; unknown query parameters are ignored; a request body that is not ',
        '  JSON (no `application/json` content type) is treated as missing and fails validation.',
        '- Integers in bodies must be JSON numbers without a fraction; `priceCents` and an initial `stock` are at most ',
        '  2147483647.',
        '- Idempotency keys are scoped to the caller (the token `sub`) and cover the route and its target; only 201 ',
        '  answers are recorded. A key is kept 24 hours (`IDEMPOTENCY_TTL_HOURS`).',
        '- Product search (`q`, up to 200 characters) matches names and SKUs, case-insensitively for every ',
        '  alphabet; `%` and `_` are literal.',
        '- String lengths count Unicode code points.',
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

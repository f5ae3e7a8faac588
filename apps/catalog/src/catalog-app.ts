import type { NestExpressApplication } from '@nestjs/platform-express';
import { connectIntegrationEvents } from '@app/integration-events';
import { createHttpService } from '@app/service-defaults';
import { CatalogAppModule } from './catalog-app.module';

export const CATALOG_API_VERSION = '1.0.0';

/**
 * Builds the catalog, configured from the environment and ready to serve, without listening
 * (tests call this; `main.ts` listens). Its event consumer is started: it reads the product
 * events from Redis (`REDIS_URL`, `REDIS_PREFIX`) into the read model.
 */
export async function buildCatalogApp(): Promise<NestExpressApplication> {
  const app = await createHttpService(CatalogAppModule, {
    openApi: {
      title: 'Ficus shop: catalog',
      version: CATALOG_API_VERSION,
      description: [
        'The product routes of the public API, served by the catalog service from its read model, built from the ',
        'integration events of every service. Answers are those of the legacy monolith for the same state. Every error ',
        'has the body `{ statusCode, error, code, message }` with a stable `code`.',
        '',
        'Choices where the API contract is silent (as the monolith):',
        '- Checks run in this order: the body is read (400 `MALFORMED_JSON`, 413 `PAYLOAD_TOO_LARGE`), then ',
        '  authentication (401), role (403), input validation (400), then the use case (404, 409).',
        '- Path ids are matched case-insensitively; unknown query parameters are ignored; a request body that is not ',
        '  JSON (no `application/json` content type) is treated as missing and fails validation.',
        '- Integers in bodies must be JSON numbers without a fraction; `priceCents` and an initial `stock` are at most ',
        '  2147483647.',
        '- Product search (`q`, up to 200 characters) matches names and SKUs, case-insensitively for every ',
        '  alphabet; `%` and `_` are literal.',
        '- String lengths count Unicode code points.',
        '- The read model is eventually consistent: a change made by another service shows here once its event is applied.',
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

import type { NestExpressApplication } from '@nestjs/platform-express';
import { connectIntegrationEvents } from '@app/integration-events';
import { createHttpService } from '@app/service-defaults';
import { InventoryAppModule } from './inventory-app.module';

export const INVENTORY_API_VERSION = '1.0.0';

/**
 * Builds inventory, configured from the environment and ready to serve, without listening
 * (tests call this; `main.ts` listens). Its streams server is started: it applies other
 * services' product and stock events and answers `inventory.*` commands from
 * `<REDIS_PREFIX>req:inventory`.
 */
export async function buildInventoryApp(): Promise<NestExpressApplication> {
  const app = await createHttpService(InventoryAppModule, {
    openApi: {
      title: 'Ficus inventory: stock adjustments',
      version: INVENTORY_API_VERSION,
      description: [
        'The part of the public shop API that the inventory service serves: stock adjustments. It answers exactly ',
        'as the legacy monolith does. Every error has the body `{ statusCode, error, code, message }` with a stable `code`.',
        '',
        'Choices where the API contract is silent (the same as the monolith):',
        '- Checks run in this order: the body is read (400 `MALFORMED_JSON`, 413 `PAYLOAD_TOO_LARGE`), then ',
        '  authentication (401), role (403), input validation (400), then the use case (404, 409).',
        '- Path ids are matched case-insensitively; a request body that is not JSON (no `application/json` content ',
        '  type) is treated as missing and fails validation.',
        '- An adjustment moves the stock and the time of its last change; it is published as `stock.adjusted`.',
        '',
        'Inventory learns of products from the catalog events (`product.created`, `product.snapshot`): a product ',
        'created a moment ago elsewhere may answer 404 here until its event has arrived.',
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

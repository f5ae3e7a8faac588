import type { Type } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import type { NestExpressApplication } from '@nestjs/platform-express';
import type { RequestHandler } from 'express';
import { answerProtocolRefusals, refuseBadHostHeader } from '../http/answer-protocol-refusals';
import { ProcessLogger } from '../logging/process-logger';
import { requestLogging } from '../logging/request-logging';
import { OpenApiOptions, setUpOpenApi } from './openapi';
import { UNTIL_BUILT_LOGGER } from './until-built.logger';

/** The largest request body accepted, as the public API states (100 KiB). */
export const MAX_BODY_BYTES = 100 * 1024;

export interface HttpServiceOptions {
  /** Serve an OpenAPI document of the app's routes (JSON at `/api-docs-json`, UI at `/api-docs`). */
  readonly openApi?: OpenApiOptions;
  /** The largest JSON body accepted; default {@link MAX_BODY_BYTES} (the public API's 100 KiB). */
  readonly maxBodyBytes?: number;
  /**
   * Middleware run after the request id and log line, before the body is read and any route is
   * looked up (the facade's admin authentication); made from the app, built but not initialised.
   */
  readonly beforeRouting?: (app: NestExpressApplication) => RequestHandler;
}

/**
 * Builds and initialises an HTTP app with the defaults of every process (logger, request
 * ids and request log lines, JSON body limit, no `X-Powered-By`), without listening: tests use it in-process, `main.ts`
 * passes it to {@link listenHttpService}.
 *
 * @example
 * const app = await createHttpService(LegacyAppModule, { openApi: { title: 'Shop', description: '…', version: '1' } });
 */
export async function createHttpService(
  rootModule: Type<unknown>,
  options: HttpServiceOptions = {},
): Promise<NestExpressApplication> {
  const app = await NestFactory.create<NestExpressApplication>(rootModule, {
    logger: UNTIL_BUILT_LOGGER,
    bufferLogs: true,
    bodyParser: false,
    abortOnError: false,
  });
  const logger = app.get(ProcessLogger);
  app.useLogger(logger);
  app.disable('x-powered-by');
  // Before the body parser: a request refused for its body (400 MALFORMED_JSON, 413
  // PAYLOAD_TOO_LARGE) never reaches Nest's middleware, and still gets its id and its line.
  app.use(requestLogging(logger.pino));
  answerProtocolRefusals(app.getHttpServer(), logger.pino);
  app.use(refuseBadHostHeader);
  if (options.beforeRouting) app.use(options.beforeRouting(app));
  app.useBodyParser('json', {
    limit: options.maxBodyBytes ?? MAX_BODY_BYTES,
    strict: false,
    type: ['application/json', 'application/*+json'],
  });
  if (options.openApi) setUpOpenApi(app, options.openApi);
  await app.init();
  return app;
}

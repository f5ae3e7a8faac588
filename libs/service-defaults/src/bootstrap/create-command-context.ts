import type { INestApplicationContext, LoggerService, Type } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import { UNTIL_BUILT_LOGGER } from './until-built.logger';

/**
 * Builds a Nest application context (no HTTP, nothing listening) for a command that runs an
 * app's use cases, such as the monolith's seed, logging through the command's `logger`
 * (the one `runMain` gives it). If building fails, the error is thrown and nothing is logged:
 * `runMain` reports it once.
 *
 * @example
 * runMain(async (logger) => {
 *   const app = await createCommandContext(LegacyAppModule, logger);
 *   try { await seedDemoData(app); } finally { await app.close(); }
 * }, { processName: 'legacy-seed' });
 */
export async function createCommandContext(
  rootModule: Type<unknown>,
  logger: LoggerService,
): Promise<INestApplicationContext> {
  const app = await NestFactory.createApplicationContext(rootModule, {
    logger: UNTIL_BUILT_LOGGER,
    bufferLogs: true,
    abortOnError: false,
  });
  app.useLogger(logger);
  return app;
}

import { Logger } from '@nestjs/common';
import { DEFAULT_LOG_LEVEL, type LogLevel } from '../config/app.config';
import { ConfigValidationError } from '../config/env-schema';
import { logLevelFromEnv } from '../config/log.config';
import { type ProcessLogger, createProcessLogger } from '../logging/process-logger';
import { defaultProcessName } from '../logging/process-name';

export interface RunMainOptions {
  /**
   * The `service` of its log lines; default the name its app gives `ServiceDefaultsModule`.
   * A command names itself (`legacy-seed`, `streams-dlq`).
   */
  readonly processName?: string;
  /**
   * Where log lines go; default standard output. A command whose output is for people or
   * scripts (`streams:dlq list --json`) logs to standard error.
   */
  readonly logTo?: 'stdout' | 'stderr';
}

/** What the failure line says under `err`: no stack when the configuration is at fault. */
function failure(error: unknown): unknown {
  if (error instanceof ConfigValidationError) {
    return { type: error.name, code: error.code, message: error.message };
  }
  return error instanceof Error ? error : { type: typeof error, message: String(error) };
}

/**
 * Runs a process's or command's `main` with the one log shape of every process: before it
 * starts, Nest's `Logger` writes JSON lines (an app's own logger takes over once built), and
 * `main` gets the logger to log through itself. If `main` fails (bad configuration, port taken,
 * database down) one `fatal` line says why, under `err` (with the stack, unless the
 * configuration is at fault), whatever `LOG_LEVEL` is, and the process exits 1.
 *
 * @example
 * runMain(async (logger) => logger.log(await seed(), 'Seed'), { processName: 'legacy-seed' });
 */
export function runMain(main: (logger: ProcessLogger) => Promise<void>, options: RunMainOptions = {}): void {
  let level: LogLevel = DEFAULT_LOG_LEVEL;
  let badLevel: unknown;
  try {
    level = logLevelFromEnv();
  } catch (error) {
    badLevel = error;
  }
  const logger = createProcessLogger({
    processName: options.processName ?? defaultProcessName(),
    level,
    destination: options.logTo,
  });
  Logger.overrideLogger(logger);
  const run = badLevel === undefined ? main(logger) : Promise.reject(badLevel);
  run.catch((error: unknown) => {
    // Whatever LOG_LEVEL says (also `silent`): a process never exits 1 without saying why.
    if (!logger.pino.isLevelEnabled('fatal')) logger.pino.level = 'fatal';
    logger.pino.fatal(
      { context: 'Lifecycle', err: failure(error) },
      error instanceof Error ? error.message : String(error),
    );
    process.exit(1);
  });
}

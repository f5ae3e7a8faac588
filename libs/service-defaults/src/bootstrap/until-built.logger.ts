import type { LoggerService } from '@nestjs/common';

/**
 * Nest's logger while an app is built: Nest buffers its lines (`bufferLogs`) and hands them
 * to the process's logger once it is installed; if building fails they are dropped, and the
 * caller reports the failure once (see `runMain`).
 */
export const UNTIL_BUILT_LOGGER: LoggerService = {
  log: () => undefined,
  error: () => undefined,
  warn: () => undefined,
};

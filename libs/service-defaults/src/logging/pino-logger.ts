import { type DestinationStream, type Logger, destination, pino, stdSerializers, stdTimeFunctions } from 'pino';
import type { LogLevel } from '../config/app.config';
import { currentRequestId } from './request-context';

/** Where lines go: standard output (the default), standard error, or a stream (tests). */
export type LogDestination = 'stdout' | 'stderr' | DestinationStream;

export interface LogLineOptions {
  /** The `service` of every line: the process's or the command's name. */
  readonly processName: string;
  readonly level: LogLevel;
  readonly destination?: LogDestination;
}

/** Header values that never reach a log line, whoever logs a request's headers. */
const REDACTED_PATHS = ['req.headers.authorization', 'req.headers.cookie', 'headers.authorization', 'headers.cookie'];

function toStream(target: LogDestination = 'stdout'): DestinationStream {
  if (target === 'stdout' || target === 'stderr') {
    // Synchronous, so that the last lines before process.exit() are never lost.
    return destination({ dest: target === 'stdout' ? 1 : 2, sync: true });
  }
  return target;
}

/**
 * The pino logger behind every process's logs: one JSON object per line with `level`
 * (a label), `time` (ISO 8601), `service`, `msg`, and `context`, `requestId` and `err`
 * when there is one.
 */
export function createPinoLogger(options: LogLineOptions): Logger {
  return pino(
    {
      level: options.level,
      base: { service: options.processName },
      messageKey: 'msg',
      errorKey: 'err',
      timestamp: stdTimeFunctions.isoTime,
      formatters: { level: (label: string) => ({ level: label }) },
      // Called only for lines that are written; pino merges the line's own fields over it.
      mixin: () => {
        const requestId = currentRequestId();
        return requestId === undefined ? {} : { requestId };
      },
      // An Error becomes { type, message, stack, …its own fields }; a prepared description stays as it is.
      serializers: { err: (value: unknown) => (value instanceof Error ? stdSerializers.err(value) : value) },
      redact: { paths: REDACTED_PATHS, censor: '[redacted]' },
    },
    toStream(options.destination),
  );
}

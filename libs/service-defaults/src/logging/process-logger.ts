import type { LoggerService } from '@nestjs/common';
import type { Level, Logger } from 'pino';
import { type LogLineOptions, createPinoLogger } from './pino-logger';

/** A stack trace, as Nest passes it to `error(message, stack, context)`. */
const STACK = /\n\s+at /;

/**
 * The Nest logger of every process and command: Nest's calls become the JSON lines of
 * {@link createPinoLogger}. Behind `Logger` of `@nestjs/common`, `new Logger('Seed').log(report,
 * 'Demo data loaded')` writes `{"level":"info","time":…,"service":…,"context":"Seed",…report,
 * "msg":"Demo data loaded"}`; an `Error`, or a message with a stack, is logged under `err`.
 */
export class ProcessLogger implements LoggerService {
  constructor(
    /** The pino logger it writes through (the request logger writes through it too). */
    readonly pino: Logger,
  ) {}

  log(message: unknown, ...params: unknown[]): void {
    this.write('info', message, params);
  }

  error(message: unknown, ...params: unknown[]): void {
    this.write('error', message, params);
  }

  warn(message: unknown, ...params: unknown[]): void {
    this.write('warn', message, params);
  }

  debug(message: unknown, ...params: unknown[]): void {
    this.write('debug', message, params);
  }

  verbose(message: unknown, ...params: unknown[]): void {
    this.write('trace', message, params);
  }

  fatal(message: unknown, ...params: unknown[]): void {
    this.write('fatal', message, params);
  }

  private write(level: Level, message: unknown, params: unknown[]): void {
    if (!this.pino.isLevelEnabled(level)) return;
    const fields: Record<string, unknown> = {};
    let rest = params;
    // Nest's Logger passes its context last.
    const last = params[params.length - 1];
    if (typeof last === 'string' && !STACK.test(last)) {
      fields.context = last;
      rest = params.slice(0, -1);
    }
    let text: string | undefined;
    if (message instanceof Error) {
      fields.err = message;
      text = message.message;
    } else if (typeof message === 'object' && message !== null) {
      Object.assign(fields, message);
      text = rest.find((param): param is string => typeof param === 'string');
    } else {
      text = String(message);
      const stack = rest.find((param): param is string => typeof param === 'string' && STACK.test(param));
      if (stack !== undefined) fields.err = { type: 'Error', message: text, stack };
    }
    this.pino[level](fields, text);
  }
}

/**
 * The logger of a process or command, writing the one log shape of every process.
 *
 * @example
 * const logger = createProcessLogger({ processName: 'streams-dlq', level: 'info', destination: 'stderr' });
 * logger.log({ replayed: 3 }, 'Dead letters replayed', 'DeadLetters');
 */
export function createProcessLogger(options: LogLineOptions): ProcessLogger {
  return new ProcessLogger(createPinoLogger(options));
}

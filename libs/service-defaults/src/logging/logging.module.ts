import { DynamicModule, Module } from '@nestjs/common';
import { LoggerModule } from 'nestjs-pino';
import { DestinationStream, stdTimeFunctions } from 'pino';
import type { Options } from 'pino-http';
import { APP_CONFIG, AppConfig } from '../config/app.config';
import { assignRequestId } from './request-id';

const QUIET_PATHS = ['/health/live', '/health/ready', '/metrics'];

function pinoHttpOptions(app: AppConfig): Options {
  return {
    level: app.logLevel,
    base: { service: app.processName },
    messageKey: 'msg',
    timestamp: stdTimeFunctions.isoTime,
    formatters: { level: (label: string) => ({ level: label }) },
    genReqId: assignRequestId,
    quietReqLogger: true,
    customAttributeKeys: { reqId: 'requestId' },
    redact: { paths: ['req.headers.authorization', 'req.headers.cookie'], censor: '[redacted]' },
    autoLogging: { ignore: (request) => QUIET_PATHS.includes(request.url ?? '') },
    customLogLevel: (_request, response, error) =>
      error || response.statusCode >= 500 ? 'error' : response.statusCode >= 400 ? 'warn' : 'info',
    serializers: {
      req: (request: { method: string; url: string }) => ({ method: request.method, url: request.url }),
      res: (response: { statusCode: number }) => ({ statusCode: response.statusCode }),
    },
  };
}

/**
 * Structured JSON logs through pino, behind the Nest logger: one line per request
 * (method, path, status, duration), and the request id on every line logged while
 * the request is handled. Lines go to standard output unless a stream is given.
 */
@Module({})
export class LoggingModule {
  static forRoot(stream?: DestinationStream): DynamicModule {
    return {
      module: LoggingModule,
      imports: [
        LoggerModule.forRootAsync({
          inject: [APP_CONFIG],
          useFactory: (app: AppConfig) => ({
            pinoHttp: stream ? [pinoHttpOptions(app), stream] : pinoHttpOptions(app),
          }),
        }),
      ],
    };
  }
}

import { Module } from '@nestjs/common';
import { LoggerModule } from 'nestjs-pino';
import { stdTimeFunctions } from 'pino';
import { APP_CONFIG, AppConfig } from '../config/app.config';
import { assignRequestId } from './request-id';

const QUIET_PATHS = ['/health/live', '/health/ready', '/metrics'];

/**
 * Structured JSON logs through pino, behind the Nest logger: one line per request
 * (method, path, status, duration), and the request id on every line logged while
 * the request is handled.
 */
@Module({
  imports: [
    LoggerModule.forRootAsync({
      inject: [APP_CONFIG],
      useFactory: (app: AppConfig) => ({
        pinoHttp: {
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
            req: (request: { id: string; method: string; url: string }) => ({
              method: request.method,
              url: request.url,
            }),
            res: (response: { statusCode: number }) => ({ statusCode: response.statusCode }),
          },
        },
      }),
    }),
  ],
})
export class LoggingModule {}

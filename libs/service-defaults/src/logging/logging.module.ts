import { DynamicModule, Module } from '@nestjs/common';
import type { DestinationStream } from 'pino';
import { APP_CONFIG, AppConfig } from '../config/app.config';
import { ProcessLogger, createProcessLogger } from './process-logger';

/**
 * Provides the app's {@link ProcessLogger}, named after the process and at `LOG_LEVEL`;
 * `createHttpService` makes it Nest's logger and logs requests through it. Lines go to
 * standard output unless a stream is given.
 */
@Module({})
export class LoggingModule {
  static forRoot(stream?: DestinationStream): DynamicModule {
    return {
      module: LoggingModule,
      providers: [
        {
          provide: ProcessLogger,
          inject: [APP_CONFIG],
          useFactory: (app: AppConfig) =>
            createProcessLogger({ processName: app.processName, level: app.logLevel, destination: stream }),
        },
      ],
      exports: [ProcessLogger],
    };
  }
}

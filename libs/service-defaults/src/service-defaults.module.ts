import { DynamicModule, Global, MiddlewareConsumer, Module, NestModule, Type } from '@nestjs/common';
import { ConfigFactory, ConfigModule } from '@nestjs/config';
import { APP_FILTER, APP_PIPE } from '@nestjs/core';
import { TerminusModule } from '@nestjs/terminus';
import type { DestinationStream } from 'pino';
import { APP_CONFIG, AppConfig, type HostSetting, createAppConfig } from './config/app.config';
import { ErrorCatalog, SERVICE_ERRORS, mergeErrorCatalogs } from './errors/error-catalog';
import { ERROR_CATALOG, ServiceExceptionFilter } from './errors/service-exception.filter';
import { HealthController } from './health/health.controller';
import { READINESS_CHECKS, ReadinessCheck } from './health/readiness-check';
import { ShutdownState } from './health/shutdown-state';
import { LoggingModule } from './logging/logging.module';
import { registerProcessName } from './logging/process-name';
import { HttpMetricsMiddleware } from './metrics/http-metrics.middleware';
import { MetricsController } from './metrics/metrics.controller';
import { MetricsRegistry } from './metrics/metrics.registry';
import { SchemaValidationPipe } from './validation/schema-validation.pipe';

export interface ServiceDefaultsOptions {
  /** The process's name in logs and metrics, and in the default SQLite file name. */
  readonly processName: string;
  /** `PORT` when the environment does not set it. */
  readonly defaultPort: number;
  /**
   * Where it listens: `HOST` by default, 127.0.0.1 unless set; a process with several listeners
   * names its own variable (the facade's admin plane: `STRANGLER_ADMIN_HOST`).
   */
  readonly host?: HostSetting;
  /** Other configuration areas (`registerAs`) to load and validate at start-up. */
  readonly config?: readonly ConfigFactory[];
  /** The app's error codes; merged with the codes every process shares. */
  readonly errorCatalogs?: readonly ErrorCatalog[];
  /** Dependencies that must answer for `GET /health/ready` to be up. */
  readonly readiness?: readonly Type<ReadinessCheck>[];
  /** Where JSON log lines go; standard output by default (tests pass a stream to read them). */
  readonly logStream?: DestinationStream;
}

/**
 * What every process gets: validated configuration, JSON logs with request ids,
 * `GET /metrics`, `GET /health/live` and `/health/ready`, the error filter and the
 * schema validation pipe. Import it once, in the app's root module.
 */
@Global()
@Module({})
export class ServiceDefaultsModule implements NestModule {
  static forRoot(options: ServiceDefaultsOptions): DynamicModule {
    registerProcessName(options.processName);
    const appConfig = createAppConfig(options.processName, options.defaultPort, options.host);
    const readiness = options.readiness ?? [];
    return {
      module: ServiceDefaultsModule,
      global: true,
      imports: [
        ConfigModule.forRoot({ isGlobal: true, ignoreEnvFile: true, load: [appConfig, ...(options.config ?? [])] }),
        TerminusModule.forRoot({ logger: false }),
        LoggingModule.forRoot(options.logStream),
      ],
      controllers: [HealthController, MetricsController],
      providers: [
        { provide: APP_CONFIG, useFactory: (config: AppConfig) => config, inject: [appConfig.KEY] },
        {
          provide: ERROR_CATALOG,
          useValue: mergeErrorCatalogs(SERVICE_ERRORS, ...(options.errorCatalogs ?? [])),
        },
        {
          provide: MetricsRegistry,
          useFactory: (config: AppConfig) => new MetricsRegistry(config.processName),
          inject: [APP_CONFIG],
        },
        ShutdownState,
        ...readiness,
        {
          provide: READINESS_CHECKS,
          useFactory: (...checks: ReadinessCheck[]) => checks,
          inject: [...readiness],
        },
        { provide: APP_FILTER, useClass: ServiceExceptionFilter },
        { provide: APP_PIPE, useClass: SchemaValidationPipe },
      ],
      exports: [APP_CONFIG, ERROR_CATALOG, MetricsRegistry, ShutdownState],
    };
  }

  configure(consumer: MiddlewareConsumer): void {
    consumer.apply(HttpMetricsMiddleware).forRoutes('*path');
  }
}

export {
  APP_CONFIG,
  createAppConfig,
  DEFAULT_LOG_LEVEL,
  DEFAULT_SHUTDOWN_TIMEOUT_MS,
  LOG_LEVELS,
  NODE_ENVS,
} from './config/app.config';
export type { AppConfig, LogLevel } from './config/app.config';
export { logLevelFromEnv } from './config/log.config';
export { ConfigValidationError, env, parseEnv } from './config/env-schema';
export type { EnvSource, EnvVar } from './config/env-schema';
export { DomainError } from './errors/domain-error';
export { ErrorBodySchema, errorBody } from './errors/error-body';
export type { ErrorBody } from './errors/error-body';
export { SERVICE_ERRORS, defineErrorCatalog, mergeErrorCatalogs } from './errors/error-catalog';
export type { ErrorCatalog, ErrorCatalogEntry } from './errors/error-catalog';
export { ERROR_CATALOG, ServiceExceptionFilter } from './errors/service-exception.filter';
export { mapRpcError } from './errors/rpc-error-mapping';
export type { RpcErrorReply } from './errors/rpc-error-mapping';
export { mapHttpError } from './errors/http-error-mapping';
export { ValidationFailedError } from './errors/validation-failed.error';
export { READINESS_CHECKS } from './health/readiness-check';
export type { ReadinessCheck } from './health/readiness-check';
export { ShutdownState } from './health/shutdown-state';
export { REQUEST_ID_HEADER } from './logging/request-id';
export { currentRequestId } from './logging/request-context';
export { ProcessLogger, createProcessLogger } from './logging/process-logger';
export type { LogDestination, LogLineOptions } from './logging/pino-logger';
export { QUIET_PATHS } from './logging/request-logging';
export { MetricsRegistry } from './metrics/metrics.registry';
export { MAX_BODY_BYTES, createHttpService } from './bootstrap/create-http-service';
export type { HttpServiceOptions } from './bootstrap/create-http-service';
export { shutDownGracefully } from './bootstrap/graceful-shutdown';
export { listenHttpService } from './bootstrap/listen-http-service';
export { runMain } from './bootstrap/run-main';
export type { RunMainOptions } from './bootstrap/run-main';
export { createCommandContext } from './bootstrap/create-command-context';
export { DEFAULT_OPENAPI_PATH } from './bootstrap/openapi';
export type { OpenApiOptions } from './bootstrap/openapi';
export { SchemaValidationPipe } from './validation/schema-validation.pipe';
export { ServiceDefaultsModule } from './service-defaults.module';
export type { ServiceDefaultsOptions } from './service-defaults.module';
export { ALLOW_ANONYMOUS, AllowAnonymous } from './http/allow-anonymous.decorator';
export {
  ALLOWED_METHODS,
  CONNECT_REFUSAL,
  clientErrorAnswer,
  hostHeaderRefusal,
  protocolRefusal,
} from './http/protocol-refusal';
export type { ClientErrorAnswer, ProtocolRefusal, ProtocolRefusalCode } from './http/protocol-refusal';

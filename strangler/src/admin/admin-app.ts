import { Module } from '@nestjs/common';
import type { ConfigType } from '@nestjs/config';
import { APP_GUARD } from '@nestjs/core';
import type { NestExpressApplication } from '@nestjs/platform-express';
import { ServiceDefaultsModule, createHttpService } from '@app/service-defaults';
import {
  DEFAULT_STRANGLER_ADMIN_HOST,
  DEFAULT_STRANGLER_ADMIN_PORT,
  stranglerConfig,
} from '../config/strangler.config';
import { AdminDepsModule, type AdminAppDeps } from './admin-deps';
import { AdminMetrics } from './admin-metrics';
import { STRANGLER_ADMIN_ERRORS } from './admin.errors';
import { adminAuthentication } from './admin-token/admin-authentication';
import { AdminRoleGuard } from './admin-token/admin-role.guard';
import { AuditHttpController } from './audit/audit.http.controller';
import { ChangeGroupHttpController } from './change-group/change-group.http.controller';
import { ChangeRouteHttpController } from './change-route/change-route.http.controller';
import { CurrentRulesHttpController } from './current-rules/current-rules.http.controller';
import { ExplainHttpController } from './explain/explain.http.controller';
import { AdminOpenApi } from './openapi/admin-openapi';
import { OpenApiHttpController } from './openapi/openapi.http.controller';
import { ReplaceRulesHttpController } from './replace-rules/replace-rules.http.controller';
import { RollbackHttpController } from './rollback/rollback.http.controller';
import { RuleSyncReadinessCheck } from './rule-sync.readiness';
import { RuleVersionsHttpController } from './rule-versions/rule-versions.http.controller';
import { StatusHttpController } from './status/status.http.controller';
import { TrafficHttpController } from './traffic/traffic.http.controller';
import { ValidateRulesHttpController } from './validate-rules/validate-rules.http.controller';

export const STRANGLER_PROCESS_NAME = 'strangler';

/** Rules documents can be large (10,000 routes is some 2 MiB of JSON). */
export const MAX_ADMIN_BODY_BYTES = 16 * 1024 * 1024;

/**
 * Builds the admin plane (not listening): the admin API over the rule store, `/metrics`,
 * `/health/live` and `/health/ready` (with the rules' sync state), and the OpenAPI document
 * at `/api-docs-json`, all behind the admin tokens (`STRANGLER_ADMIN_TOKENS`,
 * `STRANGLER_ADMIN_TOKEN`) except liveness: a request without a valid token is refused before
 * any route is looked up, and a `read-only` token may not write. Configuration (`PORT`, default
 * 8081, `STRANGLER_ADMIN_HOST`, default 127.0.0.1, and the `strangler` area) is read and checked
 * from the environment.
 *
 * @example
 * const app = await buildAdminApp({ store, rules: sync.rules, sync, stats: dataPlane.stats });
 * await listenHttpService(app);
 */
export async function buildAdminApp(deps: AdminAppDeps): Promise<NestExpressApplication> {
  @Module({
    imports: [
      ServiceDefaultsModule.forRoot({
        processName: STRANGLER_PROCESS_NAME,
        defaultPort: DEFAULT_STRANGLER_ADMIN_PORT,
        // SECURITY: never public; it listens on this machine only unless told otherwise.
        host: { variable: 'STRANGLER_ADMIN_HOST', default: DEFAULT_STRANGLER_ADMIN_HOST },
        config: [stranglerConfig],
        errorCatalogs: [STRANGLER_ADMIN_ERRORS],
        readiness: [RuleSyncReadinessCheck],
      }),
      AdminDepsModule.forRoot(deps),
    ],
    controllers: [
      CurrentRulesHttpController,
      ReplaceRulesHttpController,
      ValidateRulesHttpController,
      RuleVersionsHttpController,
      RollbackHttpController,
      ChangeRouteHttpController,
      ChangeGroupHttpController,
      ExplainHttpController,
      AuditHttpController,
      TrafficHttpController,
      StatusHttpController,
      OpenApiHttpController,
    ],
    providers: [{ provide: APP_GUARD, useClass: AdminRoleGuard }, AdminMetrics, AdminOpenApi],
  })
  class StranglerAdminModule {}

  const app = await createHttpService(StranglerAdminModule, {
    maxBodyBytes: MAX_ADMIN_BODY_BYTES,
    beforeRouting: (built) =>
      adminAuthentication(built.get<ConfigType<typeof stranglerConfig>>(stranglerConfig.KEY).adminTokens),
  });
  app.get(AdminOpenApi).build(app);
  return app;
}

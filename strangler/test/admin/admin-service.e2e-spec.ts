import { Counter, Registry } from 'prom-client';
import { STRANGLER_ADMIN_ERRORS } from '../../src/admin';
import { AdminHarness } from '../support/admin-harness';

interface Operation {
  responses: Record<string, { description?: string }>;
  security?: unknown[];
}

describe('the admin plane as a service: health, metrics, OpenAPI', () => {
  let admin: AdminHarness;
  beforeAll(async () => {
    admin = await AdminHarness.start();
  });
  afterAll(() => admin.close());

  it('is ready with its rules in sync, and says so', async () => {
    const response = await admin.http().get('/health/ready').set(admin.auth).expect(200);
    expect(response.body).toMatchObject({
      status: 'ok',
      info: {
        lifecycle: { status: 'up' },
        rules: { status: 'up', state: 'synced', degraded: false, activeVersion: 1, storeVersion: 1, problem: null },
      },
    });
  });

  it('serves Prometheus metrics with the rules’ versions', async () => {
    await admin.http().get('/admin/rules').set(admin.auth).expect(200);
    const response = await admin.http().get('/metrics').set(admin.auth).expect(200);
    expect(response.headers['content-type']).toMatch(/^text\/plain/);
    expect(response.text).toContain('strangler_rules_active_version{service="strangler"} 1');
    expect(response.text).toContain('strangler_rules_store_version{service="strangler"} 1');
    expect(response.text).toContain('strangler_rules_sync_degraded{service="strangler"} 0');
    expect(response.text).toMatch(
      /http_requests_total\{method="GET",route="\/admin\/rules",status_class="2xx",service="strangler"\} \d/,
    );
  });

  describe('GET /api-docs-json', () => {
    let document: {
      openapi: string;
      info: { title: string };
      paths: Record<string, Record<string, Operation>>;
      components: { schemas: Record<string, unknown> };
    };
    beforeAll(async () => {
      document = (await admin.http().get('/api-docs-json').set(admin.auth).expect(200)).body;
    });

    it('documents every admin endpoint', () => {
      expect(document.info.title).toBe('Ficus strangler: admin API');
      const operations = Object.entries(document.paths).flatMap(([path, methods]) =>
        Object.keys(methods).map((method) => `${method.toUpperCase()} ${path}`),
      );
      expect(operations.sort()).toEqual(
        [
          'GET /admin/rules',
          'PUT /admin/rules',
          'POST /admin/rules/validate',
          'GET /admin/rules/versions',
          'GET /admin/rules/versions/{version}',
          'GET /admin/rules/diff',
          'POST /admin/rules/rollback',
          'PATCH /admin/rules/routes/{id}',
          'PATCH /admin/rules/groups/{name}',
          'POST /admin/explain',
          'GET /admin/audit',
          'GET /admin/traffic',
          'GET /admin/guards',
          'GET /admin/circuits',
          'GET /admin/status',
        ].sort(),
      );
    });

    it('documents bearer authentication and the error codes of each endpoint', () => {
      for (const methods of Object.values(document.paths)) {
        for (const operation of Object.values(methods)) {
          expect(operation.security).toEqual([{ bearer: [] }]);
          expect(operation.responses['401']?.description).toContain('`UNAUTHENTICATED`');
        }
      }
      const replace = document.paths['/admin/rules']?.put as Operation;
      expect(Object.keys(replace.responses).sort()).toEqual(['200', '201', '400', '401', '403', '409', '413', '503']);
      expect(replace.responses['403']?.description).toContain('`FORBIDDEN`');
      expect(replace.responses['409']?.description).toContain('`STRANGLER_VERSION_CONFLICT`');
      expect(replace.responses['400']?.description).toContain('`STRANGLER_RULES_INVALID`');
      const codes = JSON.stringify(document.paths);
      for (const code of Object.keys(STRANGLER_ADMIN_ERRORS)) expect(codes).toContain(`\`${code}\``);
    });

    it('describes the bodies and answers', () => {
      expect(Object.keys(document.components.schemas)).toEqual(
        expect.arrayContaining([
          'RuleSet',
          'RuleVersion',
          'RuleVersionInfo',
          'ChangeSummary',
          'WriteResult',
          'ReplaceRulesRequest',
          'RouteChangeRequest',
          'RollbackRequest',
          'ExplainRequest',
          'Explanation',
          'TrafficReport',
          'TrippedRoutes',
          'Circuits',
          'AuditPage',
          'SyncStatus',
          'Error',
        ]),
      );
    });
  });
});

describe('the admin plane with the data plane’s metrics', () => {
  it('serves the metrics of the registry it is given, with its own labels', async () => {
    const registry = new Registry();
    const counter = new Counter({
      name: 'strangler_requests_total',
      help: 'h',
      labelNames: ['route'],
      registers: [registry],
    });
    counter.inc({ route: 'orders-read' }, 3);
    const admin = await AdminHarness.start({ metrics: registry });
    try {
      const response = await admin.http().get('/metrics').set(admin.auth).expect(200);
      expect(response.text).toContain('strangler_requests_total{route="orders-read",service="strangler"} 3');
    } finally {
      await admin.close();
    }
  });
});

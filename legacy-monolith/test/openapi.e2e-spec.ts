import { ERROR_KEYS, expectJson } from './support/api-expectations';
import { LegacyHarness } from './support/legacy-harness';

interface Operation {
  responses: Record<string, { description?: string; content?: Record<string, { schema?: { $ref?: string } }> }>;
  parameters?: { in: string; name: string }[];
  security?: unknown[];
  requestBody?: unknown;
}

interface OpenApiDocument {
  openapi: string;
  info: { title: string; version: string; description?: string };
  paths: Record<string, Record<string, Operation>>;
  components: { schemas: Record<string, { properties?: Record<string, unknown>; required?: string[] }> };
}

/**
 * Every row of docs/api.md: method, path, whether it needs a token, the success status and
 * the error codes the row names (with their statuses), plus the codes the conventions give it.
 */
/** Admin-only routes for running a migration; not part of the public API. */
const MIGRATION_PATHS = ['/api/admin/backfill'];

const ROWS: [string, string, boolean, number, [number, string][]][] = [
  [
    'post',
    '/api/customers',
    false,
    201,
    [
      [409, 'CUSTOMER_EMAIL_TAKEN'],
      [400, 'VALIDATION_FAILED'],
      [400, 'MALFORMED_JSON'],
      [413, 'PAYLOAD_TOO_LARGE'],
    ],
  ],
  [
    'post',
    '/api/auth/token',
    false,
    200,
    [
      [401, 'INVALID_CREDENTIALS'],
      [400, 'VALIDATION_FAILED'],
    ],
  ],
  [
    'get',
    '/api/customers/{id}',
    true,
    200,
    [
      [404, 'CUSTOMER_NOT_FOUND'],
      [400, 'VALIDATION_FAILED'],
      [401, 'UNAUTHENTICATED'],
      [403, 'FORBIDDEN'],
    ],
  ],
  [
    'post',
    '/api/customers/{id}/deposits',
    true,
    201,
    [
      [404, 'CUSTOMER_NOT_FOUND'],
      [400, 'VALIDATION_FAILED'],
      [401, 'UNAUTHENTICATED'],
      [403, 'FORBIDDEN'],
      [413, 'PAYLOAD_TOO_LARGE'],
      [422, 'IDEMPOTENCY_KEY_REUSED'],
    ],
  ],
  ['get', '/api/products', false, 200, [[400, 'VALIDATION_FAILED']]],
  [
    'get',
    '/api/products/{id}',
    false,
    200,
    [
      [404, 'PRODUCT_NOT_FOUND'],
      [400, 'VALIDATION_FAILED'],
    ],
  ],
  [
    'post',
    '/api/products',
    true,
    201,
    [
      [409, 'PRODUCT_SKU_TAKEN'],
      [400, 'VALIDATION_FAILED'],
      [401, 'UNAUTHENTICATED'],
      [403, 'FORBIDDEN'],
    ],
  ],
  [
    'post',
    '/api/products/{id}/stock-adjustments',
    true,
    201,
    [
      [404, 'PRODUCT_NOT_FOUND'],
      [409, 'STOCK_NEGATIVE'],
      [400, 'VALIDATION_FAILED'],
      [401, 'UNAUTHENTICATED'],
      [403, 'FORBIDDEN'],
    ],
  ],
  [
    'post',
    '/api/orders',
    true,
    201,
    [
      [404, 'PRODUCT_NOT_FOUND'],
      [403, 'FORBIDDEN'],
      [400, 'VALIDATION_FAILED'],
      [401, 'UNAUTHENTICATED'],
      [422, 'IDEMPOTENCY_KEY_REUSED'],
    ],
  ],
  [
    'get',
    '/api/orders/{id}',
    true,
    200,
    [
      [404, 'ORDER_NOT_FOUND'],
      [400, 'VALIDATION_FAILED'],
      [401, 'UNAUTHENTICATED'],
    ],
  ],
  [
    'get',
    '/api/orders',
    true,
    200,
    [
      [400, 'VALIDATION_FAILED'],
      [401, 'UNAUTHENTICATED'],
    ],
  ],
  [
    'post',
    '/api/orders/{id}/cancel',
    true,
    200,
    [
      [404, 'ORDER_NOT_FOUND'],
      [409, 'ORDER_NOT_CANCELLABLE'],
      [400, 'VALIDATION_FAILED'],
      [401, 'UNAUTHENTICATED'],
    ],
  ],
];

/** Every route that takes a body may answer the conventions' MALFORMED_JSON and PAYLOAD_TOO_LARGE. */
const DOCUMENTED = ROWS.map(([method, path, needsToken, success, errors]) => {
  const bodyCodes: [number, string][] =
    method === 'post'
      ? [
          [400, 'MALFORMED_JSON'],
          [413, 'PAYLOAD_TOO_LARGE'],
        ]
      : [];
  const codes = [...errors, ...bodyCodes.filter(([, code]) => !errors.some(([, known]) => known === code))];
  return [method, path, needsToken, success, codes] as const;
});

describe('GET /api-docs-json: the OpenAPI document', () => {
  let legacy: LegacyHarness;
  let document: OpenApiDocument;

  beforeAll(async () => {
    legacy = await LegacyHarness.start();
    const response = await legacy.http().get('/api-docs-json');
    expect(response.status).toBe(200);
    expectJson(response);
    document = response.body as OpenApiDocument;
  });
  afterAll(() => legacy.close());

  it('is browsable at /api-docs', async () => {
    const response = await legacy.http().get('/api-docs').redirects(2);
    expect(response.status).toBe(200);
    expect(response.headers['content-type']).toContain('text/html');
    expect(response.text).toContain('swagger-ui');
  });

  it('is an OpenAPI 3 document with a title, a version and a description', () => {
    expect(document.openapi).toMatch(/^3\./);
    expect(document.info.title).toEqual(expect.any(String));
    expect(document.info.version).toEqual(expect.any(String));
    expect(document.info.description).toEqual(expect.any(String));
  });

  it('lists every public path, and no other path under /api', () => {
    const apiPaths = Object.keys(document.paths).filter((path) => path.startsWith('/api/'));

    // Besides the public API, only the admin-only migration routes (documented as not part of it).
    expect(apiPaths.sort()).toEqual([...new Set([...ROWS.map(([, path]) => path), ...MIGRATION_PATHS])].sort());
  });

  it.each(DOCUMENTED)(
    'documents %s %s: its token, its success status and its error codes',
    (method, path, needsToken, success, errors) => {
      const operation = document.paths[path]?.[method];

      expect(operation).toBeDefined();
      if (!operation) return;
      expect(Object.keys(operation.responses)).toContain(String(success));
      if (needsToken) expect(operation.security).toEqual(expect.arrayContaining([expect.anything()]));
      else expect(operation.security ?? []).toEqual([]);
      for (const [status, code] of errors) {
        const response = operation.responses[String(status)];
        expect({ status, code, documented: response?.description?.includes(code) ?? false }).toEqual({
          status,
          code,
          documented: true,
        });
        expect(response?.content?.['application/json']?.schema?.$ref).toBe('#/components/schemas/Error');
      }
      const pathParameters = (operation.parameters ?? []).filter((parameter) => parameter.in === 'path');
      expect(pathParameters.map((parameter) => parameter.name)).toEqual(path.includes('{id}') ? ['id'] : []);
    },
  );

  it.each([
    ['post', '/api/orders'],
    ['post', '/api/customers/{id}/deposits'],
  ])('documents the Idempotency-Key header of %s %s', (method, path) => {
    const headers = (document.paths[path]?.[method]?.parameters ?? []).filter((parameter) => parameter.in === 'header');

    expect(headers.map((parameter) => parameter.name.toLowerCase())).toContain('idempotency-key');
  });

  it.each([
    ['/api/products', ['limit', 'offset', 'q']],
    ['/api/orders', ['limit', 'offset', 'customerId']],
  ])('documents the query parameters of GET %s', (path, names) => {
    const query = (document.paths[path]?.get?.parameters ?? []).filter((parameter) => parameter.in === 'query');

    expect(query.map((parameter) => parameter.name).sort()).toEqual([...names].sort());
  });

  it.each([
    ['Customer', ['id', 'name', 'email', 'balanceCents', 'createdAt']],
    ['Product', ['id', 'sku', 'name', 'priceCents', 'stock', 'createdAt', 'updatedAt']],
    ['Order', ['id', 'customerId', 'items', 'totalCents', 'status', 'rejectionReason', 'createdAt', 'updatedAt']],
    ['Error', ERROR_KEYS],
  ])('describes the %s object with the fields of docs/api.md, in order, all required', (name, fields) => {
    const schema = document.components.schemas[name];

    expect(Object.keys(schema?.properties ?? {})).toEqual(fields);
    expect([...(schema?.required ?? [])].sort()).toEqual([...fields].sort());
  });

  it('writes down the choices made where docs/api.md is silent', () => {
    const description = document.info.description ?? '';

    for (const choice of [
      /case-insensitive/i,
      /unknown query parameters are ignored/i,
      /Idempotency keys are scoped to the caller/i,
      /`%` and `_` are literal/,
      /authentication \(401\), role \(403\), input validation \(400\)/,
    ]) {
      expect(description).toMatch(choice);
    }
  });
});

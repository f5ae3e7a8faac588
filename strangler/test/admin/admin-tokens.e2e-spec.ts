import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { AdminHarness, TEST_ADMIN_TOKEN } from '../support/admin-harness';

const OPERATOR = 'ana-operator-secret-0123456789';
const READER = 'grafana-read-only-secret-0123';
const bearer = (secret: string) => ({ Authorization: `Bearer ${secret}` });

/** The reads a read-only token may make: rules, history, diff, audit, explain, validate, status, traffic… */
const READS: [string, string, object | null][] = [
  ['get', '/admin/rules', null],
  ['get', '/admin/rules/versions', null],
  ['get', '/admin/rules/versions/1', null],
  ['get', '/admin/rules/diff?from=1&to=1', null],
  ['get', '/admin/audit', null],
  ['get', '/admin/status', null],
  ['get', '/admin/traffic', null],
  ['get', '/admin/guards', null],
  ['get', '/admin/circuits', null],
  ['get', '/metrics', null],
  ['get', '/health/ready', null],
  ['get', '/api-docs-json', null],
  ['post', '/admin/explain', { method: 'GET', path: '/api/products/1' }],
];

describe('named admin tokens with a role', () => {
  let admin: AdminHarness;
  beforeAll(async () => {
    admin = await AdminHarness.start({
      env: { STRANGLER_ADMIN_TOKENS: `ana:operator:${OPERATOR}, grafana:read-only:${READER}` },
    });
  });
  afterAll(() => admin.close());

  const current = async () =>
    ((await admin.http().get('/admin/rules').set(bearer(READER)).expect(200)).body as { version: number }).version;

  it.each(READS)('lets a read-only token %s %s', async (method, path, body) => {
    const call = admin.http()[method as 'get'](path).set(bearer(READER));
    const response = await (body ? call.send(body) : call);
    expect(response.status).toBe(200);
  });

  it('lets a read-only token check a document without writing (rules apply --dry-run)', async () => {
    const { body } = await admin.http().get('/admin/rules').set(bearer(READER)).expect(200);
    await admin
      .http()
      .post('/admin/rules/validate')
      .set(bearer(READER))
      .send({ document: (body as { document: unknown }).document })
      .expect(200);
  });

  it.each([
    ['put', '/admin/rules', (v: number) => ({ document: {}, expectedVersion: v, reason: 'r', author: 'x' })],
    ['post', '/admin/rules/rollback', (v: number) => ({ toVersion: 1, expectedVersion: v, reason: 'r', author: 'x' })],
    [
      'patch',
      '/admin/rules/routes/products-read',
      (v: number) => ({ timeoutMs: 1234, expectedVersion: v, reason: 'r', author: 'x' }),
    ],
    ['patch', '/admin/rules/groups/orders', (v: number) => ({ timeoutMs: 1234, expectedVersion: v, reason: 'r' })],
  ])('refuses a read-only token the write %s %s with 403 FORBIDDEN, writing nothing', async (method, path, body) => {
    const before = await current();
    const response = await admin.http()[method as 'put'](path).set(bearer(READER)).send(body(before)).expect(403);
    expect(response.body).toEqual({
      statusCode: 403,
      error: 'Forbidden',
      code: 'FORBIDDEN',
      message: 'The admin token "grafana" is read-only: it may read the rules, not change them. Use an operator token.',
    });
    expect(await current()).toBe(before);
  });

  it('lets an operator write, and the audit entry names its token (by) beside the declared author', async () => {
    const before = await current();
    const response = await admin
      .http()
      .patch('/admin/rules/routes/products-read')
      .set(bearer(OPERATOR))
      .send({ timeoutMs: 4321, expectedVersion: before, reason: 'slow catalog', author: 'ana@laptop' })
      .expect(201);
    expect(response.body.version).toMatchObject({ version: before + 1 });
    const audit = await admin.http().get('/admin/audit?limit=1').set(bearer(READER)).expect(200);
    expect(audit.body.entries[0]).toMatchObject({
      version: before + 1,
      action: 'route',
      subject: 'products-read',
      author: 'ana@laptop',
      by: 'ana',
      reason: 'slow catalog',
    });
  });

  it('leaves by null on entries no token made (the seed)', async () => {
    const audit = await admin.http().get('/admin/audit?limit=100').set(bearer(OPERATOR)).expect(200);
    expect(audit.body.entries.at(-1)).toMatchObject({ version: 1, action: 'seed', by: null });
  });

  it('keeps STRANGLER_ADMIN_TOKEN working beside them, as the operator named admin', async () => {
    const before = await current();
    await admin
      .http()
      .patch('/admin/rules/routes/products-read')
      .set(admin.auth)
      .send({ timeoutMs: 999, expectedVersion: before, reason: 'compat', author: 'ops' })
      .expect(201);
    const audit = await admin.http().get('/admin/audit?limit=1').set(admin.auth).expect(200);
    expect(audit.body.entries[0]).toMatchObject({ version: before + 1, author: 'ops', by: 'admin' });
    expect(TEST_ADMIN_TOKEN).not.toBe(OPERATOR);
  });

  it.each([
    ['an unknown token', 'Bearer not-one-of-the-admin-tokens'],
    ['a token’s name instead of its secret', 'Bearer grafana'],
    ['two secrets run together', `Bearer ${READER}${OPERATOR}`],
  ])('refuses %s with 401', async (_what, header) => {
    const response = await admin.http().get('/admin/rules').set('Authorization', header).expect(401);
    expect(response.body).toMatchObject({ code: 'UNAUTHENTICATED' });
    expect(response.headers['www-authenticate']).toBe('Bearer realm="strangler-admin"');
  });
});

describe('admin tokens from STRANGLER_ADMIN_TOKENS_FILE', () => {
  const dir = mkdtempSync(join(tmpdir(), 'admin-tokens-file-'));
  let admin: AdminHarness;
  beforeAll(async () => {
    const file = join(dir, 'tokens');
    writeFileSync(file, `# the dashboards\ngrafana:read-only:${READER}\n`, { mode: 0o600 });
    admin = await AdminHarness.start({ env: { STRANGLER_ADMIN_TOKEN: undefined, STRANGLER_ADMIN_TOKENS_FILE: file } });
  });
  afterAll(async () => {
    await admin.close();
    rmSync(dir, { recursive: true, force: true });
  });

  it('takes the file’s tokens with their roles', async () => {
    const { body } = await admin.http().get('/admin/rules').set(bearer(READER)).expect(200);
    const write = await admin
      .http()
      .patch('/admin/rules/routes/products-read')
      .set(bearer(READER))
      .send({ timeoutMs: 1, expectedVersion: (body as { version: number }).version, reason: 'r', author: 'x' })
      .expect(403);
    expect(write.body).toMatchObject({ code: 'FORBIDDEN' });
    await admin.http().get('/admin/rules').set(admin.auth).expect(401);
  });
});

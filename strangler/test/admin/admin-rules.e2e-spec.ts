import { sampleRules, eventually } from '../support/rule-store-harness';
import { AdminHarness } from '../support/admin-harness';

const AUTHOR = { 'X-Strangler-Author': 'ana@laptop' };

describe('admin rules API', () => {
  let admin: AdminHarness;
  beforeAll(async () => {
    admin = await AdminHarness.start();
  });
  afterAll(() => admin.close());

  const current = async () =>
    (await admin.http().get('/admin/rules').set(admin.auth).expect(200)).body.version as number;

  describe('GET /admin/rules', () => {
    it('answers the current version with its document and history fields', async () => {
      const response = await admin.http().get('/admin/rules').set(admin.auth).expect(200);
      expect(response.body).toMatchObject({
        version: 1,
        action: 'seed',
        basedOn: null,
        author: expect.stringMatching(/^strangler@/),
        reason: expect.stringMatching(/^seeded from .*\.yaml$/),
        summary: { text: expect.stringMatching(/^initial rules: 3 route/), changes: [] },
        document: {
          legacy: 'legacy',
          routes: [{ id: 'products-read' }, { id: 'orders-read' }, { id: 'orders-write' }],
        },
      });
    });
  });

  describe('PUT /admin/rules', () => {
    it('replaces the document as a new version (201), which this instance then routes with', async () => {
      const document = sampleRules();
      document.routes?.push({ id: 'stock', match: { path: '/api/stock/**' }, target: 'catalog', mode: 'shadow' });
      const response = await admin
        .http()
        .put('/admin/rules')
        .set(admin.auth)
        .set(AUTHOR)
        .send({ document, expectedVersion: 1, reason: 'shadow stock' })
        .expect(201);
      expect(response.body).toMatchObject({
        changed: true,
        warnings: [],
        version: {
          version: 2,
          action: 'replace',
          author: 'ana@laptop',
          reason: 'shadow stock',
          basedOn: 1,
          summary: { text: 'route stock added (shadow on catalog)' },
        },
      });
      await eventually(() => admin.sync.rules.current.version === 2, 1_000);
      const status = await admin.http().get('/admin/status').set(admin.auth).expect(200);
      expect(status.body).toMatchObject({ state: 'synced', activeVersion: 2, storeVersion: 2, problem: null });
    });

    it('makes no version when nothing changes (200)', async () => {
      const { body } = await admin.http().get('/admin/rules').set(admin.auth);
      const response = await admin
        .http()
        .put('/admin/rules')
        .set(admin.auth)
        .set(AUTHOR)
        .send({ document: body.document, expectedVersion: body.version, reason: 'again' })
        .expect(200);
      expect(response.body).toMatchObject({ changed: false, version: { version: body.version } });
    });

    it('takes the author from the body before the header', async () => {
      const version = await current();
      const response = await admin
        .http()
        .put('/admin/rules')
        .set(admin.auth)
        .set(AUTHOR)
        .send({ document: sampleRules(), expectedVersion: version, reason: 'back to the sample', author: 'bo' })
        .expect(201);
      expect(response.body.version.author).toBe('bo');
    });

    it('refuses a stale expected version with 409', async () => {
      const response = await admin
        .http()
        .put('/admin/rules')
        .set(admin.auth)
        .set(AUTHOR)
        .send({ document: sampleRules(), expectedVersion: 1, reason: 'stale' })
        .expect(409);
      expect(response.body).toEqual({
        statusCode: 409,
        error: 'Conflict',
        code: 'STRANGLER_VERSION_CONFLICT',
        message: `The rules are at version ${await current()}, not 1: read them again and retry.`,
      });
    });

    it('refuses an invalid document with every problem (400 STRANGLER_RULES_INVALID)', async () => {
      const version = await current();
      const document = {
        legacy: 'legacy',
        upstreams: { legacy: { url: 'http://127.0.0.1:3000/path' } },
        routes: [{ id: 'a', match: { path: '/api/:' }, target: 'x', mode: 'live', extra: 1 }],
      };
      const response = await admin
        .http()
        .put('/admin/rules')
        .set(admin.auth)
        .set(AUTHOR)
        .send({ document, expectedVersion: version, reason: 'broken' })
        .expect(400);
      expect(response.body).toEqual({
        statusCode: 400,
        error: 'Bad Request',
        code: 'STRANGLER_RULES_INVALID',
        message: [
          'upstreams.legacy.url: must be an http:// or https:// origin, such as http://127.0.0.1:3000 (no path, query or fragment)',
          'routes[0]: Unrecognized key: "extra"',
        ],
      });
      expect(await current()).toBe(version);
    });

    it.each([
      ['no reason', { reason: undefined }, ['reason: Invalid input: expected string, received undefined']],
      ['an empty reason', { reason: '  ' }, ['reason: Too small: expected string to have >=1 characters']],
      [
        'no expected version',
        { expectedVersion: undefined },
        ['expectedVersion: Invalid input: expected number, received undefined'],
      ],
      [
        'a document that is not an object',
        { document: [1] },
        ['document: Invalid input: expected record, received array'],
      ],
      ['an unknown field', { force: true }, ['Unrecognized key: "force"']],
    ])('refuses %s (400 VALIDATION_FAILED)', async (_what, change, messages) => {
      const body = { document: sampleRules(), expectedVersion: await current(), reason: 'r', ...change };
      const response = await admin.http().put('/admin/rules').set(admin.auth).set(AUTHOR).send(body).expect(400);
      expect(response.body).toMatchObject({
        code: 'VALIDATION_FAILED',
        message: messages.map((m) => expect.stringContaining(m)),
      });
    });

    it('requires an author, in the body or the header', async () => {
      const response = await admin
        .http()
        .put('/admin/rules')
        .set(admin.auth)
        .send({ document: sampleRules(), expectedVersion: await current(), reason: 'who?' })
        .expect(400);
      expect(response.body).toMatchObject({
        code: 'VALIDATION_FAILED',
        message: ['author: give it in the body or the x-strangler-author header'],
      });
    });

    it('refuses a body that is not JSON', async () => {
      const response = await admin
        .http()
        .put('/admin/rules')
        .set(admin.auth)
        .set('Content-Type', 'application/json')
        .send('{"document":')
        .expect(400);
      expect(response.body.code).toBe('MALFORMED_JSON');
    });
  });

  describe('POST /admin/rules/validate', () => {
    it('says what a valid document would change, without writing', async () => {
      const version = await current();
      const document = sampleRules();
      document.routes = document.routes?.filter((route) => route.id !== 'products-read');
      const response = await admin.http().post('/admin/rules/validate').set(admin.auth).send({ document }).expect(200);
      expect(response.body).toEqual({
        valid: true,
        basedOn: version,
        summary: { text: 'route products-read removed', changes: [expect.objectContaining({ change: 'removed' })] },
        warnings: [],
      });
      expect(await current()).toBe(version);
    });

    it('warns of unreachable routes', async () => {
      const document = sampleRules();
      document.routes?.unshift({ id: 'all', match: { path: '/**' }, target: 'legacy', mode: 'legacy' });
      const response = await admin.http().post('/admin/rules/validate').set(admin.auth).send({ document }).expect(200);
      expect(response.body.warnings).toEqual([
        'routes[1] ("products-read") is unreachable: routes[0] ("all") matches every request it would',
        'routes[2] ("orders-read") is unreachable: routes[0] ("all") matches every request it would',
        'routes[3] ("orders-write") is unreachable: routes[0] ("all") matches every request it would',
      ]);
    });

    it('refuses an invalid document with every problem', async () => {
      const response = await admin
        .http()
        .post('/admin/rules/validate')
        .set(admin.auth)
        .send({ document: { legacy: 'nope', upstreams: {} } })
        .expect(400);
      expect(response.body).toMatchObject({
        code: 'STRANGLER_RULES_INVALID',
        message: ['legacy: "nope" is not an upstream (known: none)'],
      });
    });
  });

  describe('PATCH /admin/rules/routes/:id', () => {
    it('changes one route (201)', async () => {
      const version = await current();
      const response = await admin
        .http()
        .patch('/admin/rules/routes/products-read')
        .set(admin.auth)
        .set(AUTHOR)
        .send({
          mode: 'canary',
          percent: 25,
          stickyBy: 'jwt.sub',
          timeoutMs: 1500,
          fallback: true,
          expectedVersion: version,
          reason: '25 %',
        })
        .expect(201);
      expect(response.body.version).toMatchObject({ version: version + 1, action: 'route', subject: 'products-read' });
      expect(response.body.version.summary.text).toBe(
        'route products-read: mode legacy → canary, percent none → 25, stickyBy none → jwt.sub, timeoutMs none → 1500, fallback none → true',
      );
      const rules = await admin
        .http()
        .get(`/admin/rules/versions/${version + 1}`)
        .set(admin.auth)
        .expect(200);
      expect(rules.body.document.routes[0]).toMatchObject({
        mode: 'canary',
        percent: 25,
        timeoutMs: 1500,
        fallback: true,
      });
    });

    it('removes a field given as null', async () => {
      const version = await current();
      await admin
        .http()
        .patch('/admin/rules/routes/products-read')
        .set(admin.auth)
        .set(AUTHOR)
        .send({ timeoutMs: null, expectedVersion: version, reason: 'default timeout' })
        .expect(201);
      const rules = await admin.http().get('/admin/rules').set(admin.auth).expect(200);
      expect(rules.body.document.routes[0]).not.toHaveProperty('timeoutMs');
    });

    it.each([
      [
        'an unknown route',
        '/admin/rules/routes/nope',
        { mode: 'live' },
        404,
        'STRANGLER_ROUTE_NOT_FOUND',
        'No route has the id "nope".',
      ],
      [
        'no field to change',
        '/admin/rules/routes/products-read',
        {},
        400,
        'VALIDATION_FAILED',
        ['body: give at least one of mode, target, percent, stickyBy, timeoutMs, fallback'],
      ],
      [
        'an unknown mode',
        '/admin/rules/routes/products-read',
        { mode: 'half' },
        400,
        'VALIDATION_FAILED',
        [expect.stringMatching(/^mode: Invalid option/)],
      ],
      [
        'a percent over 100',
        '/admin/rules/routes/products-read',
        { percent: 101 },
        400,
        'VALIDATION_FAILED',
        ['percent: Too big: expected number to be <=100'],
      ],
      [
        'an unknown target',
        '/admin/rules/routes/products-read',
        { target: 'ghost' },
        400,
        'STRANGLER_RULES_INVALID',
        ['routes[0].target: "ghost" is not an upstream (known: legacy, catalog, orders)'],
      ],
      [
        'a canary without its key',
        '/admin/rules/routes/products-read',
        { stickyBy: null },
        400,
        'STRANGLER_RULES_INVALID',
        ['routes[0].stickyBy: required when mode is canary (jwt.sub, ip, header:<name> or cookie:<name>)'],
      ],
      [
        'one route of a group alone',
        '/admin/rules/routes/orders-read',
        { mode: 'live' },
        400,
        'STRANGLER_RULES_INVALID',
        ['routes[2].mode: group "orders" moves as one, but routes[1] has "live" and this route "legacy"'],
      ],
    ])('refuses %s', async (_what, path, change, status, code, message) => {
      const response = await admin
        .http()
        .patch(path)
        .set(admin.auth)
        .set(AUTHOR)
        .send({ ...change, expectedVersion: await current(), reason: 'r' })
        .expect(status);
      expect(response.body).toMatchObject({ code, message });
    });

    it('lets exactly one of concurrent writers with the same expected version through', async () => {
      const version = await current();
      const responses = await Promise.all(
        [10, 20, 30, 40, 50].map((percent) =>
          admin
            .http()
            .patch('/admin/rules/routes/products-read')
            .set(admin.auth)
            .set(AUTHOR)
            .send({ percent, expectedVersion: version, reason: `${percent} %` }),
        ),
      );
      expect(responses.map((r) => r.status).sort()).toEqual([201, 409, 409, 409, 409]);
      expect(await current()).toBe(version + 1);
    });
  });

  describe('PATCH /admin/rules/groups/:name', () => {
    it('changes every route of the group (201)', async () => {
      const version = await current();
      const response = await admin
        .http()
        .patch('/admin/rules/groups/orders')
        .set(admin.auth)
        .set(AUTHOR)
        .send({ mode: 'live', expectedVersion: version, reason: 'orders out' })
        .expect(201);
      expect(response.body.version).toMatchObject({
        action: 'group',
        subject: 'orders',
        summary: { text: 'group orders: mode legacy → live' },
      });
      const rules = await admin.http().get('/admin/rules').set(admin.auth).expect(200);
      expect(rules.body.document.routes.slice(1).map((route: { mode: string }) => route.mode)).toEqual([
        'live',
        'live',
      ]);
    });

    it('refuses an unknown group (404)', async () => {
      const response = await admin
        .http()
        .patch('/admin/rules/groups/nope')
        .set(admin.auth)
        .set(AUTHOR)
        .send({ mode: 'live', expectedVersion: await current(), reason: 'r' })
        .expect(404);
      expect(response.body).toMatchObject({
        code: 'STRANGLER_GROUP_NOT_FOUND',
        message: 'No route belongs to the group "nope".',
      });
    });
  });

  describe('versions, diff, rollback and audit', () => {
    it('lists versions newest first, in pages', async () => {
      const version = await current();
      const page = await admin.http().get('/admin/rules/versions?limit=2').set(admin.auth).expect(200);
      expect(page.body.current).toBe(version);
      expect(page.body.versions.map((v: { version: number }) => v.version)).toEqual([version, version - 1]);
      expect(page.body.versions[0]).not.toHaveProperty('document');
      const older = await admin
        .http()
        .get(`/admin/rules/versions?limit=100&before=${version - 1}`)
        .set(admin.auth)
        .expect(200);
      expect(older.body.versions.at(-1)).toMatchObject({ version: 1, action: 'seed' });
    });

    it.each([
      ['/admin/rules/versions?limit=0', 400, 'VALIDATION_FAILED', ['limit: Too small: expected number to be >=1']],
      ['/admin/rules/versions?before=x', 400, 'VALIDATION_FAILED', ['before: must be a version number (1, 2, 3…)']],
      ['/admin/rules/versions/abc', 400, 'VALIDATION_FAILED', ['version: must be a version number (1, 2, 3…)']],
      ['/admin/rules/versions/999', 404, 'STRANGLER_VERSION_NOT_FOUND', 'The rules have no version 999.'],
      [
        '/admin/rules/diff?from=1',
        400,
        'VALIDATION_FAILED',
        ['to: Invalid input: expected string, received undefined'],
      ],
      ['/admin/rules/diff?from=1&to=999', 404, 'STRANGLER_VERSION_NOT_FOUND', 'The rules have no version 999.'],
      ['/admin/audit?limit=101', 400, 'VALIDATION_FAILED', ['limit: Too big: expected number to be <=100']],
      [
        '/admin/audit?before=yesterday',
        400,
        'VALIDATION_FAILED',
        ['before: must be an audit entry id such as 1718000000000-0'],
      ],
    ])('GET %s answers %i %s', async (path, status, code, message) => {
      const response = await admin.http().get(path).set(admin.auth).expect(status);
      expect(response.body).toMatchObject({ code, message });
    });

    it('diffs any two versions', async () => {
      const response = await admin.http().get('/admin/rules/diff?from=1&to=2').set(admin.auth).expect(200);
      expect(response.body).toMatchObject({ text: 'route stock added (shadow on catalog)' });
    });

    it('rolls back to an earlier version as a new version (201)', async () => {
      const version = await current();
      const response = await admin
        .http()
        .post('/admin/rules/rollback')
        .set(admin.auth)
        .set(AUTHOR)
        .send({ toVersion: 1, expectedVersion: version, reason: 'start over' })
        .expect(201);
      expect(response.body.version).toMatchObject({
        version: version + 1,
        action: 'rollback',
        rollbackOf: 1,
        basedOn: version,
      });
      const [now, first] = await Promise.all([
        admin.http().get('/admin/rules').set(admin.auth),
        admin.http().get('/admin/rules/versions/1').set(admin.auth),
      ]);
      expect(now.body.document).toEqual(first.body.document);
      await eventually(() => admin.sync.rules.current.version === version + 1, 1_000);
    });

    it.each([
      ['an unknown version', { toVersion: 999 }, 404, 'STRANGLER_VERSION_NOT_FOUND'],
      ['a stale expected version', { toVersion: 2, expectedVersion: 1 }, 409, 'STRANGLER_VERSION_CONFLICT'],
      ['version 0', { toVersion: 0 }, 400, 'VALIDATION_FAILED'],
    ])('refuses a rollback to %s', async (_what, change, status, code) => {
      const response = await admin
        .http()
        .post('/admin/rules/rollback')
        .set(admin.auth)
        .set(AUTHOR)
        .send({ expectedVersion: await current(), reason: 'r', ...change })
        .expect(status);
      expect(response.body.code).toBe(code);
    });

    it('keeps the audit log, newest first', async () => {
      const version = await current();
      const response = await admin.http().get('/admin/audit?limit=3').set(admin.auth).expect(200);
      expect(response.body.entries).toHaveLength(3);
      expect(response.body.entries[0]).toMatchObject({
        version,
        action: 'rollback',
        subject: '1',
        author: 'ana@laptop',
        reason: 'start over',
        at: expect.any(String),
        summary: expect.any(String),
      });
      const older = await admin
        .http()
        .get(`/admin/audit?limit=100&before=${response.body.entries[2].id}`)
        .set(admin.auth)
        .expect(200);
      expect(older.body.entries.at(-1)).toMatchObject({ version: 1, action: 'seed' });
      expect(older.body.entries[0].version).toBe(version - 3);
    });
  });
});

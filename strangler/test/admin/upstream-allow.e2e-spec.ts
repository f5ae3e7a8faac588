import type { RuleSetInput } from '../../src/rules';
import { RuleStoreHarness, eventually } from '../support/rule-store-harness';
import { StranglerInstance } from '../support/strangler-instance';
import { type StubUpstream, closeAll, startStubUpstream } from '../support/stub-upstream';

interface RulesView {
  version: number;
  document: RuleSetInput;
}

const AUTHOR = { 'x-strangler-author': 'ops' };

/**
 * Whole facades (`buildStranglerApp`) over a real Redis prefix: the upstream allow-list on the
 * admin API's writes, on the CLI through it, at start-up and on versions another instance wrote.
 */
describe('upstreams only where allowed', () => {
  const harness = new RuleStoreHarness();
  let legacy: StubUpstream;

  beforeAll(async () => {
    await harness.start();
    legacy = await startStubUpstream('legacy');
  });

  afterAll(async () => {
    await closeAll(legacy);
    await harness.cleanup();
  });

  const rules = (upstreams: RuleSetInput['upstreams'] = {}): RuleSetInput => ({
    legacy: 'legacy',
    upstreams: { legacy: { url: legacy.url }, ...upstreams },
    routes: [{ id: 'products', match: { path: '/api/products/**' }, target: 'legacy', mode: 'legacy' }],
  });

  describe('with the default list (loopback and the rules file’s hosts)', () => {
    let facade: StranglerInstance;
    const stored = async () => ({
      current: await facade.read<RulesView>('/admin/rules'),
      versions: await facade.read<{ versions: unknown[] }>('/admin/rules/versions'),
      audit: await facade.read<unknown[]>('/admin/audit'),
    });

    beforeAll(async () => {
      facade = await StranglerInstance.start(harness, 'default', {
        STRANGLER_RULES_FILE: harness.rulesFile(rules(), 'default.yaml'),
      });
    });

    afterAll(() => facade.close());

    it.each<[string, string, RegExp]>([
      ['the metadata address', 'http://169.254.169.254', /169\.254\.169\.254 is a cloud metadata address/],
      ['a link-local address', 'http://169.254.1.1:8080', /169\.254\.1\.1 is a link-local address/],
      ['SSH on a private address', 'http://10.0.0.1:22', /port 22 is SSH's/],
      [
        'the stack’s Redis',
        'http://127.0.0.1:6379',
        /port 6379 is Redis's.*127\.0\.0\.1:6379 in STRANGLER_UPSTREAM_ALLOW/,
      ],
      ['PostgreSQL', 'http://localhost:5432', /port 5432 is PostgreSQL's/],
      ['a user and password', 'http://admin:secret@127.0.0.1:3001', /carries a user or password/],
      ['a host not listed', 'http://internal.example:8080', /internal\.example is not in the upstream allow-list/],
    ])('refuses a replace adding %s (400 STRANGLER_RULES_INVALID) and stores nothing', async (_case, url, why) => {
      const before = await stored();
      const response = await facade
        .admin()
        .put('/admin/rules')
        .set(facade.auth)
        .set(AUTHOR)
        .send({ document: rules({ sneaky: { url } }), expectedVersion: before.current.version, reason: 'add' });
      expect(response.status).toBe(400);
      expect(response.body).toEqual({
        statusCode: 400,
        error: 'Bad Request',
        code: 'STRANGLER_RULES_INVALID',
        message: [expect.stringMatching(new RegExp(`^upstreams\\.sneaky\\.url: upstream "sneaky" at .* is refused: `))],
      });
      expect((response.body as { message: string[] }).message[0]).toMatch(why);
      expect(await stored()).toEqual(before);
    });

    it('refuses one refused URL among several, naming where it is', async () => {
      const { version } = await facade.read<RulesView>('/admin/rules');
      const response = await facade
        .admin()
        .put('/admin/rules')
        .set(facade.auth)
        .set(AUTHOR)
        .send({
          document: rules({ pool: { urls: ['http://127.0.0.1:3001', 'http://[fe80::1]:3001'] } }),
          expectedVersion: version,
          reason: 'add a pool',
        })
        .expect(400);
      expect(response.body).toMatchObject({
        code: 'STRANGLER_RULES_INVALID',
        message: [
          expect.stringMatching(
            /^upstreams\.pool\.urls\[1\]: upstream "pool" at http:\/\/\[fe80::1\]:3001 .*link-local/,
          ),
        ],
      });
      expect((await facade.read<RulesView>('/admin/rules')).version).toBe(version);
    });

    it('refuses it in a dry run too', async () => {
      const response = await facade
        .admin()
        .post('/admin/rules/validate')
        .set(facade.auth)
        .send({ document: rules({ meta: { url: 'http://169.254.169.254' } }) })
        .expect(400);
      expect(response.body).toMatchObject({ code: 'STRANGLER_RULES_INVALID' });
    });

    it('refuses it through the CLI', async () => {
      const before = await stored();
      const file = harness.rulesFile(rules({ meta: { url: 'http://169.254.169.254' } }), 'cli.yaml');
      const result = await facade.cli('rules', 'apply', file, '--reason', 'metadata');
      expect(result.code).not.toBe(0);
      expect(result.stderr).toMatch(/STRANGLER_RULES_INVALID/);
      expect(result.stderr).toMatch(/upstream "meta" at http:\/\/169\.254\.169\.254 is refused: .*cloud metadata/);
      expect(await stored()).toEqual(before);
    });

    it('takes an upstream on loopback', async () => {
      const { version } = await facade.read<RulesView>('/admin/rules');
      await facade
        .admin()
        .put('/admin/rules')
        .set(facade.auth)
        .set(AUTHOR)
        .send({
          document: rules({ catalog: { url: 'http://127.0.0.1:3001' } }),
          expectedVersion: version,
          reason: 'ok',
        })
        .expect(201);
      expect((await facade.read<RulesView>('/admin/rules')).document.upstreams).toHaveProperty('catalog');
    });
  });

  describe('with STRANGLER_UPSTREAM_ALLOW', () => {
    it('allows what it lists, a service port only as host:port, and not loopback unless listed', async () => {
      const fresh = new RuleStoreHarness();
      await fresh.start();
      const facade = await StranglerInstance.start(fresh, 'listed', {
        STRANGLER_RULES_FILE: fresh.rulesFile(rules(), 'listed.yaml'),
        STRANGLER_UPSTREAM_ALLOW: '127.0.0.1, 10.0.0.0/8, cache.internal:6379',
      });
      try {
        const put = async (upstreams: RuleSetInput['upstreams']) => {
          const { version } = await facade.read<RulesView>('/admin/rules');
          return facade
            .admin()
            .put('/admin/rules')
            .set(facade.auth)
            .set(AUTHOR)
            .send({ document: rules(upstreams), expectedVersion: version, reason: 'try' });
        };
        expect((await put({ svc: { url: 'http://10.1.2.3:8080' } })).status).toBe(201);
        expect((await put({ cache: { url: 'http://cache.internal:6379' } })).status).toBe(201);
        const ssh = await put({ svc: { url: 'http://10.1.2.3:22' } });
        expect(ssh.status).toBe(400);
        expect(ssh.body).toMatchObject({ message: [expect.stringMatching(/port 22 is SSH's.*10\.1\.2\.3:22/)] });
        const local = await put({ svc: { url: 'http://localhost:3001' } });
        expect(local.body).toMatchObject({
          message: [
            expect.stringMatching(
              /localhost is not in the upstream allow-list \(names are not resolved: list the name\); STRANGLER_UPSTREAM_ALLOW allows 127\.0\.0\.1, 10\.0\.0\.0\/8, cache\.internal:6379$/,
            ),
          ],
        });
      } finally {
        await facade.close();
        await fresh.cleanup();
      }
    });
  });

  describe('at start-up', () => {
    it('stops on a rules file with a refused upstream, naming it and why', async () => {
      const fresh = new RuleStoreHarness();
      await fresh.start();
      try {
        const file = fresh.rulesFile(rules({ meta: { url: 'http://169.254.169.254' } }), 'refused.yaml');
        await expect(StranglerInstance.start(fresh, 'refused', { STRANGLER_RULES_FILE: file })).rejects.toThrow(
          new RegExp(
            `The rules file ${file} \\(STRANGLER_RULES_FILE\\) has upstreams the facade may not route to:\\n  - upstreams\\.meta\\.url: upstream "meta" at http://169\\.254\\.169\\.254 is refused: 169\\.254\\.169\\.254 is a cloud metadata address`,
          ),
        );
        // Nothing was seeded.
        expect(await fresh.keys()).toEqual([]);
      } finally {
        await fresh.cleanup();
      }
    });

    it('stops on a bad STRANGLER_UPSTREAM_ALLOW, naming the entry', async () => {
      await expect(
        StranglerInstance.start(harness, 'bad-list', { STRANGLER_UPSTREAM_ALLOW: '10.0.0.0/8, 10.0.0.0/40' }),
      ).rejects.toThrow(
        /STRANGLER_UPSTREAM_ALLOW is "10\.0\.0\.0\/8, 10\.0\.0\.0\/40": "10\.0\.0\.0\/40" is not a CIDR network/,
      );
    });

    it('stops on an override with a user and password, but takes an override outside the list', async () => {
      const file = harness.rulesFile(rules(), 'override.yaml');
      await expect(
        StranglerInstance.start(harness, 'override-user', {
          STRANGLER_RULES_FILE: file,
          STRANGLER_UPSTREAM_LEGACY_URL: 'http://ops:secret@127.0.0.1:3000',
        }),
      ).rejects.toThrow(
        /STRANGLER_UPSTREAM_LEGACY_URL: http:\/\/ops:secret@127\.0\.0\.1:3000 carries a user or password/,
      );
      // The operator's override is not held to the list: this instance routes legacy there.
      const overridden = await StranglerInstance.start(harness, 'override-outside', {
        STRANGLER_RULES_FILE: file,
        STRANGLER_UPSTREAM_LEGACY_URL: 'http://10.9.9.9:8080',
      });
      try {
        expect(overridden.app.sync.rules.current.upstreamUrls.get('legacy')).toEqual(['http://10.9.9.9:8080']);
      } finally {
        await overridden.close();
      }
    });

    it('does not route with a version another instance allowed: it stays on the last one, degraded, and a new instance does not start', async () => {
      const fresh = new RuleStoreHarness();
      await fresh.start();
      const file = fresh.rulesFile(rules(), 'shared.yaml');
      const wide = await StranglerInstance.start(fresh, 'wide', {
        STRANGLER_RULES_FILE: file,
        STRANGLER_UPSTREAM_ALLOW: '127.0.0.0/8, 10.0.0.0/8',
      });
      const narrow = await StranglerInstance.start(fresh, 'narrow', { STRANGLER_RULES_FILE: file });
      try {
        await wide
          .admin()
          .put('/admin/rules')
          .set(wide.auth)
          .set(AUTHOR)
          .send({ document: rules({ svc: { url: 'http://10.0.0.5:8080' } }), expectedVersion: 1, reason: 'wider' })
          .expect(201);
        const status = await eventually(async () => {
          const seen = await narrow.read<{
            state: string;
            activeVersion: number;
            storeVersion: number;
            problem: string;
          }>('/admin/status');
          return seen.storeVersion === 2 && seen.state === 'degraded' ? seen : undefined;
        });
        expect(status).toMatchObject({ activeVersion: 1 });
        expect(status?.problem).toMatch(
          /Rules version 2 is not routed with: upstreams\.svc\.url: upstream "svc" at http:\/\/10\.0\.0\.5:8080 is refused/,
        );
        await expect(StranglerInstance.start(fresh, 'late', { STRANGLER_RULES_FILE: file })).rejects.toThrow(
          /Rules version 2 is not routed with: upstreams\.svc\.url/,
        );
        // Back to rules every instance allows: the narrow one routes with them again.
        await wide
          .admin()
          .put('/admin/rules')
          .set(wide.auth)
          .set(AUTHOR)
          .send({ document: rules(), expectedVersion: 2, reason: 'narrower' })
          .expect(201);
        await eventually(async () => {
          const seen = await narrow.read<{ state: string; activeVersion: number }>('/admin/status');
          return seen.state === 'synced' && seen.activeVersion === 3;
        });
        // A rollback is a write like another: the narrow instance refuses to bring version 2 back.
        const rollback = await narrow
          .admin()
          .post('/admin/rules/rollback')
          .set(narrow.auth)
          .set(AUTHOR)
          .send({ toVersion: 2, expectedVersion: 3, reason: 'back' });
        expect(rollback.status).toBe(400);
        expect(rollback.body).toMatchObject({
          code: 'STRANGLER_RULES_INVALID',
          message: [
            expect.stringMatching(/^upstreams\.svc\.url: upstream "svc" at http:\/\/10\.0\.0\.5:8080 is refused: /),
          ],
        });
        expect((await narrow.read<RulesView>('/admin/rules')).version).toBe(3);
      } finally {
        await closeAll(wide, narrow);
        await fresh.cleanup();
      }
    });
  });
});

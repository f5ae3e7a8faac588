import { execFile } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { type AddressInfo, createServer } from 'node:net';
import { join, resolve } from 'node:path';
import { randomUUID } from 'node:crypto';
import { stringify } from 'yaml';
import { JwtCodec } from '@app/auth';
import { AdminHarness, TEST_ADMIN_TOKEN } from '../support/admin-harness';
import { TEST_JWT_SECRET, sampleRules } from '../support/rule-store-harness';

const ROOT = resolve(__dirname, '..', '..', '..');
const CLI = join(ROOT, 'dist', 'strangler', 'src', 'cli', 'main.js');

/** A port nothing listens on. */
function closedPort(): Promise<number> {
  return new Promise((done) => {
    const server = createServer().listen(0, '127.0.0.1', () => {
      const { port } = server.address() as AddressInfo;
      server.close(() => done(port));
    });
  });
}

interface Run {
  readonly code: number;
  readonly stdout: string;
  readonly stderr: string;
}

describe('the strangler CLI', () => {
  let admin: AdminHarness;
  let dir: string;
  let env: NodeJS.ProcessEnv;

  const run = (args: string[], extraEnv: NodeJS.ProcessEnv = {}, command = process.execPath, prefix = [CLI]) =>
    new Promise<Run>((done) => {
      execFile(command, [...prefix, ...args], { env: { ...env, ...extraEnv }, cwd: ROOT }, (error, stdout, stderr) => {
        done({ code: error ? Number(error.code ?? 1) : 0, stdout, stderr });
      });
    });

  const file = (name: string, content: unknown) => {
    const path = join(dir, name);
    writeFileSync(
      path,
      typeof content === 'string' ? content : name.endsWith('.json') ? JSON.stringify(content) : stringify(content),
    );
    return path;
  };

  beforeAll(async () => {
    if (!existsSync(CLI)) throw new Error(`${CLI} is missing: run npm run build first`);
    admin = await AdminHarness.start();
    dir = mkdtempSync(join(tmpdir(), 'ficus-cli-'));
    env = {
      PATH: process.env.PATH,
      HOME: process.env.HOME,
      STRANGLER_ADMIN_URL: admin.url,
      STRANGLER_ADMIN_TOKEN: TEST_ADMIN_TOKEN,
      STRANGLER_AUTHOR: 'cli-test',
    };
  });

  afterAll(async () => {
    await admin.close();
    rmSync(dir, { recursive: true, force: true });
  });

  it('rules show: a table for people, the API answer with --json', async () => {
    const shown = await run(['rules', 'show']);
    expect(shown).toMatchObject({ code: 0, stderr: '' });
    const lines = shown.stdout.split('\n');
    expect(lines[0]).toMatch(/^Rules version 1 \(seed by strangler@.*\): seeded from /);
    expect(lines[1]).toBe(
      'legacy: legacy; upstreams: legacy http://127.0.0.1:3000; catalog http://127.0.0.1:3001; orders http://127.0.0.1:3002',
    );
    expect(lines[2]).toBe('paths: literal segments in any case, one trailing slash ignored');
    expect(lines[4]).toMatch(/^ID\s+GROUP\s+METHODS\s+PATH\s+MODE\s+%\s+STICKY\s+TARGET\s+TIMEOUT\s+FALLBACK$/);
    expect(lines[5]).toMatch(/^products-read\s+-\s+GET\s+\/api\/products\/\*\*\s+legacy\s+-\s+-\s+catalog\s+-\s+-$/);
    expect(lines[6]).toMatch(/^orders-read\s+orders\s+GET\s+\/api\/orders\/:id\s+legacy/);

    const json = await run(['rules', 'show', '--json']);
    expect(json.code).toBe(0);
    expect(JSON.parse(json.stdout)).toMatchObject({ version: 1, action: 'seed', document: { legacy: 'legacy' } });
  });

  it('route set: changes one route with the current version as expected', async () => {
    const result = await run([
      'route',
      'set',
      'products-read',
      '--mode',
      'canary',
      '--percent',
      '25',
      '--sticky-by',
      'jwt.sub',
      '--reason',
      'a quarter',
    ]);
    expect(result).toMatchObject({ code: 0, stderr: '' });
    expect(result.stdout).toBe(
      'Version 2 created (from 1) by cli-test: a quarter\n' +
        '  route products-read: mode legacy → canary, percent none → 25, stickyBy none → jwt.sub\n',
    );
  });

  it('group set: changes every route of a group, and says so in JSON', async () => {
    const result = await run(['group', 'set', 'orders', '--mode', 'shadow', '--reason', 'compare orders', '--json']);
    expect(result.code).toBe(0);
    expect(JSON.parse(result.stdout)).toMatchObject({
      changed: true,
      version: {
        version: 3,
        action: 'group',
        subject: 'orders',
        author: 'cli-test',
        summary: { text: 'group orders: mode legacy → shadow' },
      },
    });
  });

  it('rules history and rules diff', async () => {
    const history = await run(['rules', 'history']);
    expect(history.code).toBe(0);
    const lines = history.stdout.trim().split('\n');
    expect(lines[0]).toMatch(/^VERSION\s+CREATED\s+AUTHOR\s+ACTION\s+REASON\s+CHANGES$/);
    expect(lines.slice(1).map((line) => line.split(/\s{2,}/)[0])).toEqual(['3 *', '2', '1']);
    expect(lines[1]).toMatch(/cli-test\s+group orders\s+compare orders\s+group orders: mode legacy → shadow$/);

    const json = await run(['rules', 'history', '--limit', '1', '--json']);
    expect(JSON.parse(json.stdout)).toMatchObject({ current: 3, versions: [{ version: 3 }] });

    const diff = await run(['rules', 'diff', '1', '3']);
    expect(diff).toMatchObject({
      code: 0,
      stdout:
        'From version 1 to version 3:\n' +
        '  group orders: mode legacy → shadow\n' +
        '  route products-read: mode legacy → canary, percent none → 25, stickyBy none → jwt.sub\n',
    });
  });

  it('rules apply --dry-run: checks on the server, writes nothing', async () => {
    const rules = sampleRules();
    rules.routes?.push({
      id: 'all',
      match: { methods: ['GET'], path: '/api/products/**' },
      target: 'legacy',
      mode: 'legacy',
    });
    const result = await run(['rules', 'apply', file('next.yaml', rules), '--dry-run']);
    expect(result.code).toBe(0);
    expect(result.stdout).toMatch(/next\.yaml is valid\. Against version 3 it would change:\n/);
    expect(result.stdout).toContain('  route all added (legacy on legacy)\n');
    expect(result.stdout).toContain('Nothing was written (--dry-run).');
    expect(result.stderr).toBe(
      'warning: routes[3] ("all") is unreachable: routes[0] ("products-read") matches every request it would\n',
    );
    expect(await admin.store.currentVersion()).toBe(3);
  });

  it('rules apply --dry-run: an invalid file fails with every problem', async () => {
    const result = await run([
      'rules',
      'apply',
      file('bad.json', { legacy: 'x', upstreams: {}, routes: [{ id: 'a' }] }),
      '--dry-run',
    ]);
    expect(result.code).toBe(1);
    expect(result.stdout).toBe('');
    expect(result.stderr).toBe(
      [
        'error STRANGLER_RULES_INVALID (400):',
        '  - routes[0].match: Invalid input: expected object, received undefined',
        '  - routes[0].target: Invalid input: expected string, received undefined',
        '  - routes[0].mode: Invalid option: expected one of "legacy"|"shadow"|"canary"|"live"',
        '',
      ].join('\n'),
    );
  });

  it('rules apply: replaces the rules', async () => {
    const result = await run(['rules', 'apply', file('sample.yaml', sampleRules()), '--reason', 'reset']);
    expect(result).toMatchObject({ code: 0, stderr: '' });
    expect(result.stdout).toMatch(
      /^Version 4 created \(from 3\) by cli-test: reset\n {2}group orders: mode shadow → legacy\n/,
    );
    const again = await run(['rules', 'apply', file('sample.yaml', sampleRules()), '--reason', 'reset']);
    expect(again.stdout).toBe('No changes: the rules are already so at version 4.\n');
  });

  it('rules apply: an unreadable or malformed file fails clearly', async () => {
    const missing = await run(['rules', 'apply', join(dir, 'none.yaml'), '--reason', 'r']);
    expect(missing).toMatchObject({ code: 1, stderr: `error: ${join(dir, 'none.yaml')}: cannot be read (ENOENT).\n` });
    const broken = await run(['rules', 'apply', file('broken.json', '{"legacy":'), '--reason', 'r']);
    expect(broken.code).toBe(1);
    expect(broken.stderr).toMatch(/^error: .*broken\.json: is not valid JSON: /);
  });

  it('rules rollback: a new version with an earlier version’s rules', async () => {
    const result = await run(['rules', 'rollback', '2', '--reason', 'back to the canary']);
    expect(result.code).toBe(0);
    expect(result.stdout).toBe(
      'Version 5 created (from 4) by cli-test: back to the canary\n' +
        '  route products-read: mode legacy → canary, percent none → 25, stickyBy none → jwt.sub\n',
    );
    const missing = await run(['rules', 'rollback', '99', '--reason', 'r']);
    expect(missing).toMatchObject({
      code: 1,
      stderr: 'error STRANGLER_VERSION_NOT_FOUND (404): The rules have no version 99.\n',
    });
  });

  it('explain: where a request would go, and why', async () => {
    const token = new JwtCodec(TEST_JWT_SECRET).issue({ id: randomUUID(), role: 'customer' }).accessToken;
    const result = await run(['explain', 'GET', '/api/products/7', '-H', `authorization: Bearer ${token}`]);
    expect(result.code).toBe(0);
    const lines = result.stdout.trim().split('\n');
    expect(lines[0]).toMatch(
      /^GET \/api\/products\/7 → (catalog \(target\)|legacy \(legacy\)) {3}\[rules version 5\]$/,
    );
    expect(lines[1]).toBe('route:    products-read: canary 25 % by jwt.sub on catalog');
    expect(lines[2]).toMatch(
      /^why: {6}route products-read is a 25 % canary; the caller's bucket \d+ is (not )?below 2500$/,
    );
    // Only a request sent to the target can fall back to legacy.
    expect(lines.at(-1)).toBe(
      lines[0]?.includes('(target)') ? 'timeout:  10000 ms, retries 0, fallback no' : 'timeout:  10000 ms, retries 0',
    );

    const json = await run(['explain', 'POST', '/api/orders', '--json']);
    expect(JSON.parse(json.stdout)).toMatchObject({
      route: { id: 'orders-write' },
      upstream: 'legacy',
      reason: 'route orders-write is in legacy mode',
    });
  });

  it('traffic, audit and status', async () => {
    admin.stats.traffic = [{ route: 'products-read', total: 100, upstreams: { legacy: 75, catalog: 25 } }];
    const traffic = await run(['traffic', '--minutes', '10']);
    expect(traffic.code).toBe(0);
    expect(traffic.stdout).toMatch(/^Traffic over the last 10 minute\(s\) since \S+, rules version 5:\n/);
    expect(traffic.stdout).toMatch(/\nROUTE\s+MODE\s+%\s+TARGET\s+TOTAL\s+ON LEGACY\s+ON TARGET\s+TARGET SHARE\n/);
    expect(traffic.stdout).toMatch(/\nproducts-read\s+canary\s+25\s+catalog\s+100\s+75\s+25\s+25\.0 %\n/);

    const audit = await run(['audit', '--limit', '2']);
    expect(audit.stdout.trim().split('\n')).toHaveLength(3);
    expect(audit.stdout).toContain('rollback 2');

    const status = await run(['status']);
    expect(status.stdout).toBe('synced: routing with version 5, store at 5\n');
  });

  describe('errors', () => {
    it('exits 1 with the code and message when the API refuses', async () => {
      const missing = await run(['route', 'set', 'nope', '--mode', 'live', '--reason', 'r']);
      expect(missing).toMatchObject({
        code: 1,
        stdout: '',
        stderr: 'error STRANGLER_ROUTE_NOT_FOUND (404): No route has the id "nope".\n',
      });
      const stale = await run(['route', 'set', 'products-read', '--mode', 'live', '--reason', 'r', '--expect', '1']);
      expect(stale).toMatchObject({
        code: 1,
        stderr:
          'error STRANGLER_VERSION_CONFLICT (409): The rules are at version 5, not 1: read them again and retry.\n',
      });
      const json = await run(['group', 'set', 'nope', '--mode', 'live', '--reason', 'r', '--json']);
      expect(json.code).toBe(1);
      expect(JSON.parse(json.stderr)).toEqual({
        statusCode: 404,
        error: 'Not Found',
        code: 'STRANGLER_GROUP_NOT_FOUND',
        message: 'No route belongs to the group "nope".',
      });
    });

    it('exits 1 on a wrong token or an unreachable API', async () => {
      const wrong = await run(['rules', 'show'], { STRANGLER_ADMIN_TOKEN: 'wrong-token-wrong-token' });
      expect(wrong).toMatchObject({
        code: 1,
        stderr: 'error UNAUTHENTICATED (401): The admin token is wrong, or the header is not "Bearer <token>".\n',
      });
      const port = await closedPort();
      const away = await run(['rules', 'show', '--url', `http://127.0.0.1:${port}`]);
      expect(away).toMatchObject({
        code: 1,
        stderr: `error: Cannot reach the admin API at http://127.0.0.1:${port} (ECONNREFUSED).\n`,
      });
    });

    it.each([
      [['dance'], "strangler: Unknown command 'dance'\n", 'Usage: npm run -s strangler -- <command> [options]'],
      [
        ['route', 'set', 'products-read', '--reason', 'r'],
        'strangler: Say what to change:',
        'Usage: npm run -s strangler -- route set [options] <id>',
      ],
      [
        ['rules', 'apply', 'x.yaml'],
        'strangler: Say why with --reason',
        'Usage: npm run -s strangler -- rules apply [options] <file>',
      ],
      [
        ['rules', 'show', '--percent', '3'],
        "strangler: Unknown option '--percent'\n",
        'Usage: npm run -s strangler -- rules show [options]',
      ],
      [
        ['status', '--frobnicate'],
        "strangler: Unknown option '--frobnicate'\n",
        'Usage: npm run -s strangler -- status',
      ],
    ])('exits 2 with the usage on bad arguments: %j', async (args, message, usage) => {
      const result = await run(args);
      expect(result.code).toBe(2);
      expect(result.stdout).toBe('');
      expect(result.stderr.startsWith(message)).toBe(true);
      expect(result.stderr).toContain(`\n\n${usage}`);
    });

    it('exits 2 without a token, saying where to find one', async () => {
      const result = await run(['status'], { STRANGLER_ADMIN_TOKEN: '' });
      expect(result.code).toBe(2);
      expect(result.stderr.split('\n')[0]).toBe(
        'strangler: No admin token: give --token, set STRANGLER_ADMIN_TOKEN, or run the CLI from the repository ' +
          'root with `npm run -s strangler -- …` while `npm start` runs (it reads data/stack.env).',
      );
    });
  });

  it('runs as npm run strangler, without building', async () => {
    const result = await run(['run', '--silent', 'strangler', '--', 'status', '--json'], {}, 'npm', []);
    expect(result.code).toBe(0);
    expect(JSON.parse(result.stdout)).toMatchObject({ state: 'synced', activeVersion: 5 });
  });
});

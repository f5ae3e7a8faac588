import { randomUUID } from 'node:crypto';
import { LOG_LEVELS } from '@app/service-defaults';
import { type TestDatabase, createSqliteDatabase } from '../../../tools/testing/test-databases';
import { deleteTestKeys, uniqueTestPrefix } from '../../../tools/testing/test-redis';
import { EntryPoint } from './support/entry-point';

type LogLine = Record<string, unknown>;

const LEVEL = new RegExp(`^(${LOG_LEVELS.join('|')})$`);
const ISO_TIME = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{3}Z$/;
const ENTRIES = {
  monolith: 'dist/legacy-monolith/src/main.js',
  seed: 'dist/legacy-monolith/src/seed/seed.main.js',
  backfill: 'dist/legacy-monolith/src/backfill/backfill.main.js',
  rebuild: 'dist/apps/catalog/src/rebuild/rebuild.main.js',
  strangler: 'dist/strangler/src/main.js',
  dlq: 'dist/tools/streams/src/dead-letters.main.js',
};

/**
 * Every line of `output` is one JSON object with the keys every process shares: `level` (a
 * label), `time` (ISO), `service`, `msg`, and `context` and `err` in the same form wherever
 * they appear; never the keys of another shape (Nest's `message`, `timestamp`, `pid`).
 */
function parseLogLines(output: string, service: string): LogLine[] {
  const texts = output.split('\n').filter((text) => text !== '');
  expect(texts.length).toBeGreaterThan(0);
  return texts.map((text) => {
    let line: LogLine;
    try {
      line = JSON.parse(text) as LogLine;
    } catch {
      throw new Error(`Not a JSON log line: ${text}`);
    }
    expect(line).toEqual(
      expect.objectContaining({
        level: expect.stringMatching(LEVEL),
        time: expect.stringMatching(ISO_TIME),
        service,
        msg: expect.any(String),
      }),
    );
    for (const foreign of ['message', 'timestamp', 'pid']) expect(line).not.toHaveProperty(foreign);
    if ('context' in line) expect(typeof line.context).toBe('string');
    if ('err' in line) {
      expect(line.err).toEqual(expect.objectContaining({ type: expect.any(String), message: expect.any(String) }));
    }
    return line;
  });
}

describe('the log lines of every process and command', () => {
  const prefix = uniqueTestPrefix('process-logs');
  let legacyDatabase: TestDatabase;
  let catalogDatabase: TestDatabase;
  let env: Record<string, string>;

  beforeAll(() => {
    legacyDatabase = createSqliteDatabase();
    catalogDatabase = createSqliteDatabase();
    env = { LOG_LEVEL: 'info', REDIS_PREFIX: prefix, DATABASE_URL: legacyDatabase.url };
  });
  afterAll(async () => {
    await EntryPoint.killAll();
    await legacyDatabase.drop();
    await catalogDatabase.drop();
    await deleteTestKeys(prefix);
  });

  it('seed:legacy logs its Nest start-up and its report', async () => {
    const run = await EntryPoint.run(ENTRIES.seed, env);
    expect(run.code).toBe(0);
    expect(run.stderr).toBe('');
    const lines = parseLogLines(run.stdout, 'legacy-seed');
    expect(lines).toContainEqual(
      expect.objectContaining({ level: 'info', context: 'Seed', msg: 'Demo data loaded', productsCreated: 1000 }),
    );
  });

  it('backfill:legacy logs what it published', async () => {
    const run = await EntryPoint.run(ENTRIES.backfill, env);
    expect(run.code).toBe(0);
    expect(run.stderr).toBe('');
    const lines = parseLogLines(run.stdout, 'legacy-backfill');
    expect(lines).toContainEqual(expect.objectContaining({ context: 'Backfill', customers: 100, products: 1000 }));
  });

  it('an HTTP service logs its start, its requests (one refused for its body too) and its shut-down; rebuild:catalog run against it logs each step', async () => {
    const monolith = EntryPoint.start(ENTRIES.monolith, { ...env, PORT: '0' });
    const listening = await monolith.waitForLine((line) => line.event === 'listening');
    const url = `http://127.0.0.1:${String(listening.port)}`;

    const requestId = `process-logs-${randomUUID()}`;
    const refused = await fetch(`${url}/api/products`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', 'x-request-id': requestId },
      body: '{"name": ',
    });
    expect(refused.status).toBe(400);
    await monolith.waitForLine((line) => line.requestId === requestId);

    const rebuild = await EntryPoint.run(ENTRIES.rebuild, {
      ...env,
      DATABASE_URL: catalogDatabase.url,
      LEGACY_URL: url,
    });
    expect(rebuild.code).toBe(0);
    expect(rebuild.stderr).toBe('');
    const steps = parseLogLines(rebuild.stdout, 'catalog-rebuild');
    expect(steps.at(-1)).toMatchObject({ level: 'info', context: 'CatalogRebuild', msg: /published 1000 product/ });

    expect(await monolith.stop()).toEqual({ code: 0, signal: null });
    expect(monolith.stderr).toBe('');
    const lines = parseLogLines(monolith.stdout, 'legacy-monolith');
    expect(lines).toContainEqual(
      expect.objectContaining({
        level: 'warn',
        requestId,
        msg: 'request completed',
        req: { method: 'POST', url: '/api/products' },
        res: { statusCode: 400 },
      }),
    );
    expect(lines.at(-1)).toMatchObject({ context: 'Lifecycle', reason: 'SIGTERM', msg: 'Shutting down (SIGTERM)' });
  });

  it('the facade logs its rules, both planes listening and its shut-down', async () => {
    const strangler = EntryPoint.start(ENTRIES.strangler, {
      ...env,
      PORT: '0',
      STRANGLER_PORT: '0',
      STRANGLER_ADMIN_TOKEN: randomUUID(),
    });
    await strangler.waitForLine((line) => line.event === 'listening' && line.plane === undefined);
    expect(await strangler.stop()).toEqual({ code: 0, signal: null });
    expect(strangler.stderr).toBe('');
    const lines = parseLogLines(strangler.stdout, 'strangler');
    // Logged before the admin app exists, each in one line with its fields.
    expect(lines).toContainEqual(
      expect.objectContaining({ context: 'RuleSync', version: 1, msg: 'Routing with rules version 1' }),
    );
  });

  it('streams:dlq prints its findings as text on standard output and logs on standard error', async () => {
    const listed = await EntryPoint.run(ENTRIES.dlq, env, ['list', '--service', 'catalog']);
    expect(listed.code).toBe(0);
    expect(listed.stdout).toBe(`0 dead letter(s) in ${prefix}dlq:catalog\n`);
    expect(listed.stderr).toBe('');

    const failed = await EntryPoint.run(ENTRIES.dlq, { ...env, REDIS_URL: 'redis://127.0.0.1:1' }, [
      'list',
      '--service',
      'catalog',
    ]);
    expect(failed.code).toBe(1);
    expect(failed.stdout).toBe('');
    const [line, ...others] = parseLogLines(failed.stderr, 'streams-dlq');
    expect(others).toEqual([]);
    expect(line).toMatchObject({
      level: 'fatal',
      context: 'Lifecycle',
      msg: /unreachable/,
      err: { type: 'StreamsError' },
    });
  });

  it('a command that cannot start logs one fatal line saying why, without a stack for a bad configuration, even under LOG_LEVEL=silent', async () => {
    const run = await EntryPoint.run(ENTRIES.seed, { ...env, DATABASE_URL: 'mysql://nope', LOG_LEVEL: 'silent' });
    expect(run.code).toBe(1);
    expect(run.stderr).toBe('');
    const lines = parseLogLines(run.stdout, 'legacy-seed');
    expect(lines).toEqual([
      expect.objectContaining({
        level: 'fatal',
        context: 'Lifecycle',
        msg: expect.stringContaining('DATABASE_URL is "mysql://nope"'),
        err: { type: 'ConfigValidationError', code: 'CONFIG_INVALID', message: expect.any(String) },
      }),
    ]);
  });
});

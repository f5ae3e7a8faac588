import { execFile } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { DataSource } from 'typeorm';
import { parseDatabaseUrl, toDataSourceOptions } from '@app/database';
import { SAGAS_SCHEMA, SagaInstanceEntity, type SagaStatus } from '@app/sagas';
import { type TestDatabase, createSqliteDatabase } from '../../testing/test-databases';

const CLI = join(__dirname, '..', '..', '..', 'dist', 'tools', 'sagas', 'src', 'sagas.main.js');
/** A stack data folder without an orders database. */
const emptyDir = mkdtempSync(join(tmpdir(), 'ficus-sagas-cli-'));

interface Run {
  readonly code: number;
  readonly stdout: string;
  readonly stderr: string;
}

/** The built CLI, as `npm run sagas -- …` runs it. */
function sagas(args: string[], env: Record<string, string> = {}): Promise<Run> {
  if (!existsSync(CLI)) throw new Error(`${CLI} is missing: run npm run build first`);
  return new Promise((resolve) => {
    const clean = {
      ...process.env,
      SAGAS_DATABASE_URL: '',
      ORDERS_DATABASE_URL: '',
      STACK_DATA_DIR: emptyDir,
      LOG_LEVEL: 'warn',
      ...env,
    };
    execFile(process.execPath, [CLI, ...args], { env: clean }, (error, stdout, stderr) =>
      resolve({ code: error ? Number(error.code ?? 1) : 0, stdout, stderr }),
    );
  });
}

/**
 * `npm run sagas`: a person lists, shows and retries a service's saga instances, from its
 * database, without the saga's declaration.
 */
describe('npm run sagas', () => {
  let database: TestDatabase;
  let dataSource: DataSource;
  const [stopped, completed] = [randomUUID(), randomUUID()];

  const row = (id: string, status: SagaStatus, minutesAgo: number): SagaInstanceEntity => ({
    id,
    saga: 'place-order',
    status,
    step: 1,
    attempt: status === 'COMPENSATION_FAILED' ? 20 : 1,
    data: JSON.stringify({ orderId: id }),
    failureStep: status === 'COMPENSATION_FAILED' ? 'charge' : null,
    failureReason: status === 'COMPENSATION_FAILED' ? 'INSUFFICIENT_FUNDS' : null,
    dueAt: null,
    leaseOwner: null,
    leaseUntil: null,
    history: JSON.stringify([{ at: '2026-12-07T10:00:00.000Z', note: 'start: price' }]),
    positions: null,
    version: 4,
    createdAt: new Date(Date.now() - minutesAgo * 60_000),
    updatedAt: new Date(Date.now() - minutesAgo * 60_000),
  });

  beforeAll(async () => {
    database = createSqliteDatabase();
    dataSource = new DataSource(toDataSourceOptions(parseDatabaseUrl(database.url, 2), SAGAS_SCHEMA));
    await dataSource.initialize();
    await dataSource.manager.insert(SagaInstanceEntity, [
      row(stopped, 'COMPENSATION_FAILED', 2),
      row(completed, 'COMPLETED', 1),
    ]);
  });

  afterAll(async () => {
    await dataSource?.destroy();
    await database?.drop();
    rmSync(emptyDir, { recursive: true, force: true });
  });

  it("reads the stack's orders database by default, where npm start keeps it", async () => {
    const dataDir = mkdtempSync(join(tmpdir(), 'ficus-sagas-stack-'));
    const orders = new DataSource(
      toDataSourceOptions(parseDatabaseUrl(`sqlite:${join(dataDir, 'orders.sqlite')}`, 2), SAGAS_SCHEMA),
    );
    try {
      await orders.initialize();
      await orders.manager.insert(SagaInstanceEntity, [row(completed, 'COMPLETED', 1)]);
      const listed = await sagas(['list'], { STACK_DATA_DIR: dataDir });
      expect(listed).toMatchObject({ code: 0, stderr: '' });
      expect(listed.stdout.split('\n')).toContain(`${completed}  place-order  COMPLETED  step 2 (try 1)`);
    } finally {
      await orders.destroy();
      rmSync(dataDir, { recursive: true, force: true });
    }
  });

  it('lists the newest instances, or those of one status', async () => {
    const all = await sagas(['list'], { ORDERS_DATABASE_URL: database.url });
    expect(all).toMatchObject({ code: 0, stderr: '' });
    expect(all.stdout.split('\n').filter(Boolean)).toEqual([
      `${completed}  place-order  COMPLETED  step 2 (try 1)`,
      `${stopped}  place-order  COMPENSATION_FAILED  step 2 (try 20)  failed at charge: INSUFFICIENT_FUNDS`,
      '2 instance(s)',
    ]);
    const failed = await sagas(['list', '--status', 'COMPENSATION_FAILED', '--json'], {
      SAGAS_DATABASE_URL: database.url,
    });
    expect(JSON.parse(failed.stdout).map((view: { id: string }) => view.id)).toEqual([stopped]);
  });

  it('shows one instance with its data and history', async () => {
    const shown = await sagas(['show', stopped, '--database', database.url]);
    expect(shown.code).toBe(0);
    expect(shown.stdout).toContain(`data: {"orderId":"${stopped}"}`);
    expect(shown.stdout).toContain('2026-12-07T10:00:00.000Z  start: price');
  });

  it('makes a stopped compensation due again, once, and refuses what cannot be retried', async () => {
    const before = Date.now();
    const retried = await sagas(['retry', stopped], { ORDERS_DATABASE_URL: database.url });
    expect(retried).toMatchObject({ code: 0, stderr: '' });
    expect(retried.stdout).toContain(`${stopped}  place-order  COMPENSATING  step 2 (try 1)`);
    expect(retried.stdout).toContain('retry: step 2');
    const stored = await dataSource.manager.findOneByOrFail(SagaInstanceEntity, { id: stopped });
    expect(stored).toMatchObject({ status: 'COMPENSATING', attempt: 1, version: 5 });
    expect(stored.dueAt).toBeGreaterThanOrEqual(before);

    expect(await sagas(['retry', stopped], { ORDERS_DATABASE_URL: database.url })).toMatchObject({
      code: 1,
      stderr: `SAGA_NOT_RETRYABLE: saga instance ${stopped} is COMPENSATING: only COMPENSATION_FAILED is retried\n`,
    });
    const unknown = randomUUID();
    expect(await sagas(['show', unknown], { ORDERS_DATABASE_URL: database.url })).toMatchObject({
      code: 1,
      stderr: `SAGA_NOT_FOUND: no saga instance ${unknown}\n`,
    });
  });

  it.each([
    [['forget'], 'Unknown command "forget".'],
    [['show'], 'show takes one instance id.'],
    [['list', '--status', 'LOST'], '--status must be one of'],
    [['list', '--limit', '0'], '--limit must be an integer from 1 to 1000.'],
    [['list'], 'No database: give --database, SAGAS_DATABASE_URL or ORDERS_DATABASE_URL'],
  ])('refuses %j with the usage, exit 2', async (args, message) => {
    const run = await sagas(args);
    expect(run.code).toBe(2);
    expect(run.stderr).toContain(message);
    expect(run.stderr).toContain('Usage: npm run sagas');
  });
});

import { type ChildProcess, spawn } from 'node:child_process';
import { once } from 'node:events';
import { existsSync, mkdirSync, mkdtempSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createClient } from 'redis';
import { TEST_REDIS_URL, deleteTestKeys, uniqueTestPrefix } from '../../testing/test-redis';
import { freePort } from '../../testing/free-port';
import { StackOutput } from '../src/output';
import { PROCESSES } from '../src/processes';
import { resetStack } from '../src/reset';
import { loadStackConfig } from '../src/stack.config';
import { writeStackState } from '../src/stack-state';

class Lines implements StackOutput {
  readonly lines: string[] = [];
  out = (line: string) => void this.lines.push(line);
  err = (line: string) => void this.lines.push(line);
}

describe('npm run reset', () => {
  const redis = createClient({ url: TEST_REDIS_URL });
  let root: string;
  let dataDir: string;
  // Glob characters in the prefix must match only themselves: `[ab]` would also match the neighbour's `a`.
  let base: string;
  let prefix: string;
  let neighbour: string;
  let other: ChildProcess | undefined;

  beforeAll(() => redis.connect());
  beforeEach(async () => {
    root = mkdtempSync(join(tmpdir(), 'ficus-reset-'));
    dataDir = join(root, 'data');
    mkdirSync(dataDir);
    base = uniqueTestPrefix('reset');
    prefix = `${base}[ab]:`;
    neighbour = `${base}a:`;
    writeStackState(dataDir, { redisPrefix: prefix, adminToken: '0123456789abcdef0123456789abcdef' });
    for (const name of ['legacy-monolith', 'catalog', 'inventory', 'payments']) {
      writeFileSync(join(dataDir, `${name}.sqlite`), 'x');
    }
    writeFileSync(join(dataDir, 'catalog.sqlite-wal'), 'x');
    writeFileSync(join(dataDir, 'notes.txt'), 'mine');
    // The history copies of two facade instances (STACK_REPLICAS=strangler=2), and a folder of the user's.
    for (const folder of ['strangler', 'strangler-2', 'strangler-notes']) {
      mkdirSync(join(dataDir, folder));
      writeFileSync(join(dataDir, folder, 'history.jsonl'), 'x');
    }
    await redis.set(`${prefix}evt:wallet.credited`, '1');
    await redis.set(`${prefix}strangler:rules:current`, '1');
    await redis.set(`${neighbour}evt:wallet.credited`, 'not ours');
  });
  afterEach(async () => {
    if (other && other.exitCode === null && other.signalCode === null) {
      other.kill('SIGKILL');
      await once(other, 'exit');
    }
    other = undefined;
    await deleteTestKeys(base);
    rmSync(root, { recursive: true, force: true });
  });
  afterAll(() => redis.quit());

  const configFor = (env: Record<string, string> = {}) =>
    loadStackConfig({ STACK_DATA_DIR: dataDir, ...env }, PROCESSES);

  it("deletes the stack's databases, its keys and its state file, and nothing else", async () => {
    const outside = join(root, 'elsewhere.sqlite');
    writeFileSync(outside, 'x');
    const output = new Lines();
    const report = await resetStack(
      configFor({
        INVENTORY_DATABASE_URL: `sqlite:${outside}`,
        PAYMENTS_DATABASE_URL: 'postgres://ficus:secret@127.0.0.1:5432/payments',
      }),
      PROCESSES,
      root,
      output,
    );

    expect(report.keysDeleted).toBe(2);
    expect(await redis.exists([`${prefix}evt:wallet.credited`, `${prefix}strangler:rules:current`])).toBe(0);
    expect(await redis.get(`${neighbour}evt:wallet.credited`)).toBe('not ours');
    expect(readdirSync(dataDir).sort()).toEqual(['notes.txt', 'strangler-notes']);
    // Also the default files of processes now configured elsewhere: they are this folder's old data.
    expect(report.filesDeleted).toEqual([
      'data/legacy-monolith.sqlite',
      'data/catalog.sqlite',
      'data/catalog.sqlite-wal',
      'data/inventory.sqlite',
      'data/payments.sqlite',
      'data/stack.env',
      'data/strangler',
      'data/strangler-2',
    ]);
    expect(existsSync(outside)).toBe(true);
    expect(report.databasesLeft).toEqual([
      `inventory: sqlite:${outside}`,
      'payments: postgres://ficus:***@127.0.0.1:5432/payments',
    ]);
  });

  it('refuses while a launcher runs on the folder, and deletes nothing', async () => {
    other = spawn(process.execPath, ['-e', 'setInterval(() => {}, 1000)'], { stdio: 'ignore' });
    await once(other, 'spawn');
    writeFileSync(join(dataDir, 'stack.pid'), `${other.pid}\n`);
    await expect(resetStack(configFor(), PROCESSES, root, new Lines())).rejects.toThrow(
      `A stack runs on ${dataDir} (launcher pid ${other.pid}); stop it (Ctrl-C) before npm run reset.`,
    );
    expect(existsSync(join(dataDir, 'catalog.sqlite'))).toBe(true);
    expect(await redis.get(`${prefix}evt:wallet.credited`)).toBe('1');
  });

  it('still deletes the files when Redis does not answer, and says the keys are left', async () => {
    const output = new Lines();
    const url = `redis://127.0.0.1:${await freePort()}`;
    const report = await resetStack(configFor({ REDIS_URL: url }), PROCESSES, root, output, 500);
    expect(report.keysDeleted).toBeUndefined();
    expect(output.lines).toContainEqual(expect.stringContaining(`No Redis answered at ${url}`));
    expect(output.lines).toContainEqual(expect.stringContaining(`the keys under ${prefix} are left there`));
    expect(existsSync(join(dataDir, 'stack.env'))).toBe(false);
    expect(existsSync(join(dataDir, 'legacy-monolith.sqlite'))).toBe(false);
  });
});

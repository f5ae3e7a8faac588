import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { isListening } from '../src/readiness';
import { LauncherRun, freePort, isRunning } from './support/launcher';

const READY_WITHIN_MS = 45_000;
const STOPPED_WITHIN_MS = 20_000;

describe('npm start (the stack launcher)', () => {
  let dataDir: string;
  beforeEach(() => {
    dataDir = mkdtempSync(join(tmpdir(), 'ficus-stack-'));
  });
  afterEach(async () => {
    await LauncherRun.killAll();
    rmSync(dataDir, { recursive: true, force: true });
  });

  async function startStack(env: Record<string, string> = {}) {
    const port = await freePort();
    const facadePort = await freePort();
    const run = await LauncherRun.start({
      LEGACY_PORT: String(port),
      STRANGLER_PORT: String(facadePort),
      // The monolith's, through the launcher's DATABASE_URL; each service has its own variable.
      DATABASE_URL: `sqlite:${join(dataDir, 'x.sqlite')}`,
      CATALOG_DATABASE_URL: `sqlite:${join(dataDir, 'catalog.sqlite')}`,
      INVENTORY_DATABASE_URL: `sqlite:${join(dataDir, 'inventory.sqlite')}`,
      PAYMENTS_DATABASE_URL: `sqlite:${join(dataDir, 'payments.sqlite')}`,
      STACK_DATA_DIR: join(dataDir, 'state'),
      ...env,
    });
    return { port, facadePort, run };
  }

  async function startedPid(run: LauncherRun): Promise<number> {
    const [, pid] = await run.waitForOutput(/Started legacy-monolith \(pid (\d+)\)/, READY_WITHIN_MS);
    return Number(pid);
  }

  it.each(['SIGINT', 'SIGTERM'] as const)(
    'starts the monolith, prints where it listens, and stops everything on %s',
    async (signal) => {
      // At info, the backfill says what it published.
      const { port, facadePort, run } = await startStack({ LOG_LEVEL: 'info' });
      const pid = await startedPid(run);
      await run.waitForOutput(
        new RegExp(`legacy-monolith +http://localhost:${port} +\\(API docs: http://localhost:${port}/api-docs\\)`),
        READY_WITHIN_MS,
      );

      // The backfill ran once the monolith was ready, and before the services started.
      expect(run.output).toMatch(/\[backfill\] +.*Published 0 customer and 0 product snapshots/);
      const backfilled = run.output.indexOf('[stack] The backfill of legacy-monolith finished in');
      expect(backfilled).toBeGreaterThan(run.output.indexOf('[stack] Running the backfill of legacy-monolith'));
      expect(run.output.indexOf('[stack] Started catalog')).toBeGreaterThan(backfilled);
      for (const service of ['catalog', 'inventory', 'payments']) {
        const line = new RegExp(`\\n  ${service} +http://localhost:(\\d+)  \\(API docs:`);
        const [, servicePort] = await run.waitForOutput(line, READY_WITHIN_MS);
        expect((await fetch(`http://127.0.0.1:${servicePort}/health/ready`)).status).toBe(200);
        // Each process has the database of its own variable, not the launcher's DATABASE_URL.
        expect(existsSync(join(dataDir, `${service}.sqlite`))).toBe(true);
      }
      expect(existsSync(join(dataDir, 'x.sqlite'))).toBe(true);

      const res = await fetch(`http://127.0.0.1:${port}/api/products`);
      expect(res.status).toBe(200);
      expect(await res.json()).toEqual({ items: expect.any(Array), total: expect.any(Number), limit: 20, offset: 0 });
      await run.waitForOutput(new RegExp(`strangler +http://localhost:${facadePort}`), READY_WITHIN_MS);
      const viaFacade = await fetch(`http://127.0.0.1:${facadePort}/api/products`);
      expect(viaFacade.status).toBe(200);
      expect(viaFacade.headers.get('x-strangler-upstream')).toBe('legacy');
      expect(await viaFacade.json()).toEqual({
        items: expect.any(Array),
        total: expect.any(Number),
        limit: 20,
        offset: 0,
      });

      run.signal(signal);
      expect(await run.waitForExit(STOPPED_WITHIN_MS)).toEqual({ code: 0, signal: null });
      expect(run.output).toContain(`${signal} received`);
      expect(isRunning(pid)).toBe(false);
      expect(run.leftovers()).toEqual([]);
      expect(await isListening('127.0.0.1', port)).toBe(false);
      expect(await isListening('127.0.0.1', facadePort)).toBe(false);
    },
    READY_WITHIN_MS + STOPPED_WITHIN_MS,
  );

  it(
    'exits 1 naming the process when one exits before it is ready',
    async () => {
      // An invalid value only the monolith reads, and rejects at start-up (the launcher passes its environment on).
      const { run } = await startStack({ IDEMPOTENCY_TTL_HOURS: 'soon' });
      const exit = await run.waitForExit(READY_WITHIN_MS);
      expect(exit.code).toBe(1);
      expect(run.output).toContain('[stack] legacy-monolith exited before it was ready (code 1)');
      expect(run.output).toMatch(/\[legacy-monolith\] .*IDEMPOTENCY_TTL_HOURS is \\?"soon\\?"/);
      expect(run.leftovers()).toEqual([]);
    },
    READY_WITHIN_MS,
  );

  it('starts a process that dies while the stack runs again, and stops everything once it died too often', async () => {
    const { port, run } = await startStack({ STACK_MAX_RESTARTS: '1' });
    const pid = await startedPid(run);
    await run.waitForOutput(/Press Ctrl-C/, READY_WITHIN_MS);

    process.kill(pid, 'SIGKILL');
    const [, again] = await run.waitForOutput(/Started legacy-monolith \(pid (\d+)\) again\./, READY_WITHIN_MS);
    await run.waitForOutput(/legacy-monolith is ready again\./, READY_WITHIN_MS);
    expect(run.output).toContain(
      '[stack] legacy-monolith exited unexpectedly (signal SIGKILL); starting it again in 500 ms (restart 1 of 1).',
    );
    expect(Number(again)).not.toBe(pid);
    expect((await fetch(`http://127.0.0.1:${port}/health/ready`)).status).toBe(200);

    process.kill(Number(again), 'SIGKILL');
    const exit = await run.waitForExit(STOPPED_WITHIN_MS);
    expect(exit.code).toBe(1);
    expect(run.output).toContain(
      '[stack] legacy-monolith exited unexpectedly (signal SIGKILL) and was started again 1 times already (STACK_MAX_RESTARTS)',
    );
    expect(run.leftovers()).toEqual([]);
    expect(await isListening('127.0.0.1', port)).toBe(false);
  }, 120_000);

  it('leaves nothing behind even when the launcher itself is killed', async () => {
    const { port, run } = await startStack();
    const pid = await startedPid(run);
    await run.waitForOutput(/Press Ctrl-C/, READY_WITHIN_MS);

    run.signal('SIGKILL');
    await run.waitForExit(STOPPED_WITHIN_MS);
    // The monolith, the services and the facade notice their IPC parent is gone and shut down by themselves.
    const deadline = Date.now() + STOPPED_WITHIN_MS;
    while ((isRunning(pid) || run.leftovers().length > 0) && Date.now() < deadline) {
      await new Promise((resolve) => setTimeout(resolve, 100));
    }
    expect(isRunning(pid)).toBe(false);
    expect(run.leftovers()).toEqual([]);
    expect(await isListening('127.0.0.1', port)).toBe(false);
  }, 60_000);

  it('refuses a bad port variable, a port in use or a data folder in use, before starting anything', async () => {
    const bad = await LauncherRun.start({ LEGACY_PORT: 'abc' });
    expect((await bad.waitForExit(STOPPED_WITHIN_MS)).code).toBe(1);
    expect(bad.output).toContain('LEGACY_PORT is "abc"; allowed: an integer from 1 to 65535');

    const shared = await LauncherRun.start({
      DATABASE_URL: 'sqlite:one.sqlite',
      CATALOG_DATABASE_URL: 'sqlite:one.sqlite',
    });
    expect((await shared.waitForExit(STOPPED_WITHIN_MS)).code).toBe(1);
    expect(shared.output).toContain(
      'CATALOG_DATABASE_URL is sqlite:one.sqlite, the same database as DATABASE_URL; give each process its own database',
    );
    expect(shared.output).not.toContain('Started legacy-monolith');

    const { port, run: first } = await startStack();
    await first.waitForOutput(/Press Ctrl-C/, READY_WITHIN_MS);
    const second = await LauncherRun.start({ LEGACY_PORT: String(port) });
    expect((await second.waitForExit(STOPPED_WITHIN_MS)).code).toBe(1);
    expect(second.output).toContain(`Port ${port} for legacy-monolith is already in use`);
    expect(second.output).toContain('set LEGACY_PORT to a free port');
    expect(second.output).not.toContain('Started legacy-monolith');

    // Two stacks on one data folder would write the same databases, whatever their ports.
    const sameFolder = await LauncherRun.start({
      LEGACY_PORT: String(await freePort()),
      STACK_DATA_DIR: join(dataDir, 'state'),
      DATABASE_URL: `sqlite:${join(dataDir, 'y.sqlite')}`,
    });
    expect((await sameFolder.waitForExit(STOPPED_WITHIN_MS)).code).toBe(1);
    expect(sameFolder.output).toContain(
      `A stack already runs on ${join(dataDir, 'state')} (launcher pid ${first.pid}). Stop it first`,
    );
    expect(sameFolder.output).not.toContain('Started legacy-monolith');

    first.signal('SIGINT');
    expect((await first.waitForExit(STOPPED_WITHIN_MS)).code).toBe(0);
  }, 60_000);

  it('gives up on a process that is not ready in time, and stops it', async () => {
    const { run } = await startStack({ STACK_READY_TIMEOUT_MS: '1' });
    const exit = await run.waitForExit(STOPPED_WITHIN_MS);
    expect(exit.code).toBe(1);
    expect(run.output).toMatch(
      /legacy-monolith was not ready within 1 ms: GET http:\/\/127\.0\.0\.1:\d+\/health\/ready/,
    );
    expect(run.output).toContain('STACK_READY_TIMEOUT_MS sets the wait');
    expect(run.leftovers()).toEqual([]);
  }, 60_000);
});

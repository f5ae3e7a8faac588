import { existsSync, mkdtempSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { StackOutput } from '../src/output';
import { ProcessSpec } from '../src/processes';
import { isListening } from '../src/readiness';
import { Stack } from '../src/stack';
import { loadStackConfig } from '../src/stack.config';
import { REPO_ROOT, freePort, isRunning } from './support/launcher';

const FIXTURES = 'tools/stack/test/fixtures';

/** Two stand-in services; the first runs a one-shot step once it is ready. */
function table(stepTimeoutMs?: number): ProcessSpec[] {
  const row = (name: string, defaultFile: string): ProcessSpec => ({
    name,
    entry: `${FIXTURES}/stub-service.mjs`,
    ports: [{ role: 'http', variable: `${name.toUpperCase()}_PORT`, defaultPort: 1, childVariable: 'PORT' }],
    readiness: { path: '/health/ready' },
    needsRedis: false,
    database: { variable: `${name.toUpperCase()}_DATABASE_URL`, defaultFile },
  });
  const first = row('first', 'first.sqlite');
  return [
    {
      ...first,
      database: { ...first.database!, fallbacks: ['DATABASE_URL'] },
      afterReady: {
        name: 'seed',
        entry: `${FIXTURES}/one-shot-step.mjs`,
        purpose: 'seeds the others',
        timeoutMs: stepTimeoutMs,
      },
    },
    row('second', 'second.sqlite'),
  ];
}

class Lines implements StackOutput {
  readonly lines: string[] = [];
  out = (line: string) => void this.lines.push(line);
  err = (line: string) => void this.lines.push(line);

  index(pattern: RegExp): number {
    return this.lines.findIndex((line) => pattern.test(line));
  }

  async waitFor(pattern: RegExp, timeoutMs = 10_000): Promise<string> {
    const deadline = Date.now() + timeoutMs;
    for (;;) {
      const found = this.lines.find((line) => pattern.test(line));
      if (found) return found;
      if (Date.now() > deadline) throw new Error(`no line matching ${pattern}; got:\n${this.lines.join('\n')}`);
      await sleep(20);
    }
  }
}

describe('the stack with a one-shot step after a process is ready', () => {
  let stack: Stack | undefined;
  let exited: Promise<number> | undefined;
  let dataDir: string;
  beforeEach(() => {
    dataDir = mkdtempSync(join(tmpdir(), 'ficus-stack-steps-'));
  });
  afterEach(async () => {
    stack?.stop('the test is over');
    await exited;
    stack = undefined;
    exited = undefined;
    rmSync(dataDir, { recursive: true, force: true });
  });

  async function start(env: Record<string, string>, stepTimeoutMs?: number) {
    const ports = { first: await freePort(), second: await freePort() };
    const processes = table(stepTimeoutMs);
    const config = loadStackConfig(
      {
        FIRST_PORT: String(ports.first),
        SECOND_PORT: String(ports.second),
        STACK_STOP_TIMEOUT_MS: '5000',
        STACK_DATA_DIR: dataDir,
        ...env,
      },
      processes,
    );
    const output = new Lines();
    const started = new Stack({ config, processes, rootDir: REPO_ROOT, output });
    stack = started;
    exited = started.run();
    return { ports, output, exited, stack: started };
  }

  const envOf = async (port: number) =>
    (await (await fetch(`http://127.0.0.1:${port}/env`)).json()) as {
      DATABASE_URL: string | null;
      PORT: string;
      REDIS_PREFIX: string | null;
    };

  it('runs the step with the process environment, and starts the later rows only once it has finished', async () => {
    const { ports, output } = await start({ STUB_STEP: 'ok', DATABASE_URL: 'sqlite:shared.sqlite' });
    await output.waitFor(/^\[stack\] Press Ctrl-C/);

    const order = [
      /^\[stack\] Started first /,
      /^\[stack\] Running the seed of first \(pid \d+\): it seeds the others\.$/,
      /^\[seed\] +step started with DATABASE_URL=sqlite:shared\.sqlite$/,
      /^\[seed\] +step done: published 2 snapshots$/,
      /^\[stack\] The seed of first finished in \d+\.\d s\.$/,
      /^\[stack\] Started second /,
    ].map((pattern) => output.index(pattern));
    expect(order.every((index) => index >= 0)).toBe(true);
    expect([...order].sort((a, b) => a - b)).toEqual(order);

    // The launcher's DATABASE_URL is the first row's (its fallback); the second keeps its own.
    expect(await envOf(ports.first)).toMatchObject({ DATABASE_URL: 'sqlite:shared.sqlite', PORT: String(ports.first) });
    expect(await envOf(ports.second)).toMatchObject({
      DATABASE_URL: `sqlite:${join(dataDir, 'second.sqlite')}`,
      PORT: String(ports.second),
    });
  });

  it('gives each process the database of its own variable, whatever DATABASE_URL says', async () => {
    const { ports, output } = await start({
      STUB_STEP: 'ok',
      DATABASE_URL: 'sqlite:shared.sqlite',
      FIRST_DATABASE_URL: 'sqlite::memory:',
      SECOND_DATABASE_URL: 'postgres://postgres@127.0.0.1:5432/second',
    });
    await output.waitFor(/^\[stack\] Press Ctrl-C/);
    expect((await envOf(ports.first)).DATABASE_URL).toBe('sqlite::memory:');
    expect((await envOf(ports.second)).DATABASE_URL).toBe('postgres://postgres@127.0.0.1:5432/second');
  });

  it('stops everything and exits 1 when the step fails, saying which step and why it matters', async () => {
    const { ports, output, exited: done } = await start({ STUB_STEP: 'fail' });
    expect(await done).toBe(1);
    expect(output.lines).toContainEqual(expect.stringMatching(/^\[seed\] +step failed: nothing to publish to$/));
    expect(output.lines).toContain(
      '[stack] The seed of first failed (code 3); its output above says why. The stack needs it: it seeds the others.',
    );
    expect(output.index(/Started second/)).toBe(-1);
    expect(output.lines.at(-1)).toBe('[stack] Everything stopped.');
    expect(await isListening('127.0.0.1', ports.first)).toBe(false);
  });

  it('stops a step that runs too long, and the stack with it', async () => {
    const { output, exited: done } = await start({ STUB_STEP: 'hang' }, 500);
    const [, pid] = (await output.waitFor(/Running the seed of first \(pid (\d+)\)/)).match(/pid (\d+)/)!;
    expect(await done).toBe(1);
    expect(output.lines).toContainEqual(
      expect.stringContaining('[stack] The seed of first did not finish within 500 ms and was stopped'),
    );
    expect(isRunning(Number(pid))).toBe(false);
    expect(output.index(/Started second/)).toBe(-1);
  });

  it('stops a running step when the stack is stopped, and exits 0', async () => {
    const { ports, output, exited: done } = await start({ STUB_STEP: 'hang' });
    const [, pid] = (await output.waitFor(/Running the seed of first \(pid (\d+)\)/)).match(/pid (\d+)/)!;
    stack!.stop('SIGINT received');
    expect(await done).toBe(0);
    expect(isRunning(Number(pid))).toBe(false);
    expect(output.index(/Started second/)).toBe(-1);
    expect(await isListening('127.0.0.1', ports.first)).toBe(false);
  });
  describe("the data folder's own Redis prefix and admin token", () => {
    const stateOf = () => readFileSync(join(dataDir, 'stack.env'), 'utf8');

    it('makes them up on the first start, keeps them across restarts and gives the prefix to every process', async () => {
      const first = await start({ STUB_STEP: 'ok' });
      await first.output.waitFor(/^\[stack\] Press Ctrl-C/);
      const { REDIS_PREFIX: prefix } = await envOf(first.ports.second);
      expect(prefix).toMatch(/^ficus:[0-9a-f]{8}:$/);
      expect((await envOf(first.ports.first)).REDIS_PREFIX).toBe(prefix);
      const written = stateOf();
      expect(written).toContain(`REDIS_PREFIX=${prefix}\n`);
      expect(written).toMatch(/^STRANGLER_ADMIN_TOKEN=[0-9a-f]{32}$/m);
      // SECURITY: the admin token is readable by its owner only.
      expect(statSync(join(dataDir, 'stack.env')).mode & 0o077).toBe(0);
      first.stack.stop('restart');
      expect(await first.exited).toBe(0);

      const again = await start({ STUB_STEP: 'ok' });
      await again.output.waitFor(/^\[stack\] Press Ctrl-C/);
      expect((await envOf(again.ports.second)).REDIS_PREFIX).toBe(prefix);
      expect(stateOf()).toBe(written);
      // The folder is held while the stack runs, and free once it stopped.
      expect(readFileSync(join(dataDir, 'stack.pid'), 'utf8').trim()).toBe(String(process.pid));
      again.stack.stop('done');
      expect(await again.exited).toBe(0);
      expect(existsSync(join(dataDir, 'stack.pid'))).toBe(false);
    });

    it('takes REDIS_PREFIX and STRANGLER_ADMIN_TOKEN from the environment, and keeps them for the next start', async () => {
      const run = await start({
        STUB_STEP: 'ok',
        REDIS_PREFIX: 'team-a:',
        STRANGLER_ADMIN_TOKEN: 'a-token-of-our-own',
      });
      await run.output.waitFor(/^\[stack\] Press Ctrl-C/);
      expect((await envOf(run.ports.second)).REDIS_PREFIX).toBe('team-a:');
      expect(stateOf()).toContain('REDIS_PREFIX=team-a:\nSTRANGLER_ADMIN_TOKEN=a-token-of-our-own\n');
    });

    it('names a state file it cannot use, and starts nothing', async () => {
      writeFileSync(join(dataDir, 'stack.env'), 'REDIS_PREFIX=\nSTRANGLER_ADMIN_TOKEN=short\n');
      const { output, exited: done } = await start({ STUB_STEP: 'ok' });
      expect(await done).toBe(1);
      expect(output.lines).toContainEqual(
        expect.stringContaining(
          `${join(dataDir, 'stack.env')}: REDIS_PREFIX is empty; STRANGLER_ADMIN_TOKEN has fewer than 16 characters.`,
        ),
      );
      expect(output.index(/Started first/)).toBe(-1);
    });
  });
});

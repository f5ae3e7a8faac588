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
  const row = (name: string, defaultUrl: string): ProcessSpec => ({
    name,
    entry: `${FIXTURES}/stub-service.mjs`,
    ports: [{ role: 'http', variable: `${name.toUpperCase()}_PORT`, defaultPort: 1, childVariable: 'PORT' }],
    readiness: { path: '/health/ready' },
    needsRedis: false,
    database: { variable: `${name.toUpperCase()}_DATABASE_URL`, defaultUrl },
  });
  const first = row('first', 'sqlite:first.sqlite');
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
    row('second', 'sqlite:second.sqlite'),
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
  afterEach(async () => {
    stack?.stop('the test is over');
    await exited;
    stack = undefined;
    exited = undefined;
  });

  async function start(env: Record<string, string>, stepTimeoutMs?: number) {
    const ports = { first: await freePort(), second: await freePort() };
    const processes = table(stepTimeoutMs);
    const config = loadStackConfig(
      { FIRST_PORT: String(ports.first), SECOND_PORT: String(ports.second), STACK_STOP_TIMEOUT_MS: '5000', ...env },
      processes,
    );
    const output = new Lines();
    stack = new Stack({ config, processes, rootDir: REPO_ROOT, output });
    exited = stack.run();
    return { ports, output, exited };
  }

  const envOf = async (port: number) =>
    (await (await fetch(`http://127.0.0.1:${port}/env`)).json()) as { DATABASE_URL: string | null; PORT: string };

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
    expect(await envOf(ports.first)).toEqual({ DATABASE_URL: 'sqlite:shared.sqlite', PORT: String(ports.first) });
    expect(await envOf(ports.second)).toEqual({ DATABASE_URL: 'sqlite:second.sqlite', PORT: String(ports.second) });
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
});

import { type ChildProcess, spawn } from 'node:child_process';
import { once } from 'node:events';
import { existsSync, mkdtempSync, readFileSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { parseEnv } from 'node:util';
import { isListening } from '../tools/stack/src/readiness';
import { REPO_ROOT, freePort } from '../tools/stack/test/support/launcher';
import {
  type WalkthroughCommand,
  isRead,
  printedAsShown,
  walkthroughBlocks,
} from '../tools/testing/readme-walkthrough';
import { countKeysUnder, deleteKeysUnder } from '../tools/testing/test-redis';
import { FreshCheckout } from './support/fresh-checkout';
import { type CommandResult, ShellSession } from './support/shell-session';

const READY_WITHIN_MS = 150_000;
const STOPPED_WITHIN_MS = 30_000;
/** How long a read may take to show a write of the other side (events travel meanwhile). */
const CONVERGED_WITHIN_MS = 15_000;
const RETRY_EVERY_MS = 200;
/** The README's addresses, and the port variable of each; the test runs the stack on free ports. */
const README_PORTS: Readonly<Record<number, string>> = { 8080: 'STRANGLER_PORT', 3000: 'LEGACY_PORT' };
/** What the test process sets for itself and a person's terminal would not have. */
const NOT_A_USERS =
  /^(REDIS_PREFIX|NODE_ENV|LOG_LEVEL|PASSWORD_SCRYPT_COST|JWT_SECRET|STACK_.*|STRANGLER_.*|.*DATABASE_URL)$/;

/**
 * The README's first-use path, run as written: a fresh checkout, `npm start`, then every command
 * of the README's walkthrough blocks in one shell, each compared with what the README shows it
 * prints; then Ctrl-C and `npm run reset`. The README cannot drift from the code.
 */
describe('the README walkthrough, as written', () => {
  let checkout: FreshCheckout;
  let scratch: string;
  let npmStart: ChildProcess | undefined;
  let stackOutput = '';
  let shell: ShellSession | undefined;
  let redisPrefix: string | undefined;

  beforeAll(() => {
    checkout = FreshCheckout.create();
    scratch = mkdtempSync(join(tmpdir(), 'ficus-walkthrough-'));
  });

  afterAll(async () => {
    await shell?.close();
    if (npmStart && npmStart.exitCode === null && npmStart.signalCode === null) {
      killGroup(npmStart, 'SIGKILL');
      await once(npmStart, 'exit');
    }
    // The stack's keys, should the test stop before `npm run reset` (the prefix is this run's own).
    if (redisPrefix && /^ficus:[0-9a-f]{8}:$/.test(redisPrefix)) await deleteKeysUnder(redisPrefix);
    checkout.remove();
    rmSync(scratch, { recursive: true, force: true });
  });

  it(
    'runs every command of the README and shows what the README says',
    async () => {
      const blocks = walkthroughBlocks(readFileSync(join(REPO_ROOT, 'README.md'), 'utf8'));
      expect(blocks.map((block) => block.phase)).toEqual(['running', 'running', 'stopped']);

      const ports: Record<string, string> = {};
      for (const variable of [
        'LEGACY_PORT',
        'CATALOG_PORT',
        'INVENTORY_PORT',
        'PAYMENTS_PORT',
        'ORDERS_PORT',
        'STRANGLER_PORT',
        'STRANGLER_ADMIN_PORT',
      ]) {
        ports[variable] = String(await freePort());
      }
      const userEnv = Object.fromEntries(Object.entries(process.env).filter(([name]) => !NOT_A_USERS.test(name)));
      const env = { ...userEnv, ...ports, LOG_LEVEL: 'warn' };

      // `npm start`, in a process group of its own, so that Ctrl-C can be sent as a terminal does.
      const started = spawn('npm', ['start'], { cwd: checkout.root, env, detached: true, stdio: 'pipe' });
      npmStart = started;
      const ready = new Promise<void>((resolve, reject) => {
        for (const stream of [started.stdout, started.stderr]) {
          stream?.setEncoding('utf8').on('data', (chunk: string) => {
            stackOutput += chunk;
            if (stackOutput.includes('[stack] Press Ctrl-C')) resolve();
          });
        }
        started.once('exit', (code) => reject(new Error(`npm start exited (${code}) before the stack was ready`)));
      });
      await withTimeout(ready, READY_WITHIN_MS, 'ready stack');
      const state = parseEnv(readFileSync(join(checkout.root, 'data/stack.env'), 'utf8'));
      redisPrefix = state.REDIS_PREFIX;
      expect(redisPrefix).toMatch(/^ficus:[0-9a-f]{8}:$/);
      expect(stackOutput).toContain(`keys under ${redisPrefix}`);

      shell = new ShellSession(checkout.root, env, scratch);
      const session = shell;
      const local = (command: WalkthroughCommand) => onStackPorts(command, ports);
      for (const block of blocks.filter((each) => each.phase === 'running')) {
        for (const command of block.commands) await runAsShown(session, local(command), () => stackOutput);
      }

      // Ctrl-C: npm passes the signal on and ends by it; the launcher stops every process first.
      killGroup(started, 'SIGINT');
      await withTimeout(once(started, 'exit'), STOPPED_WITHIN_MS, 'npm start to stop');
      expect(stackOutput).toContain('[stack] Everything stopped.');
      for (const port of Object.values(ports)) expect(await isListening('127.0.0.1', Number(port))).toBe(false);

      for (const block of blocks.filter((each) => each.phase === 'stopped')) {
        for (const command of block.commands) await runAsShown(session, local(command), () => stackOutput);
      }
      // npm run reset left nothing of the stack: no database, no state, no key.
      const left = existsSync(join(checkout.root, 'data')) ? readdirSync(join(checkout.root, 'data')) : [];
      expect(left).toEqual([]);
      expect(await countKeysUnder(redisPrefix!)).toBe(0);
    },
    READY_WITHIN_MS + 3 * 60_000,
  );
});

/** The command with the README's ports replaced by the stack's. */
function onStackPorts(command: WalkthroughCommand, ports: Readonly<Record<string, string>>): WalkthroughCommand {
  const text = command.text.replace(/localhost:(\d+)/g, (written, port: string) => {
    const variable = README_PORTS[Number(port)];
    if (!variable) throw new Error(`README line ${command.line} uses ${written}, which the test does not map`);
    return `localhost:${ports[variable]}`;
  });
  return { ...command, text };
}

async function runAsShown(session: ShellSession, command: WalkthroughCommand, stack: () => string): Promise<void> {
  const deadline = Date.now() + CONVERGED_WITHIN_MS;
  for (;;) {
    const result = await session.run(command.text);
    const shown = command.expected === undefined || printedAsShown(result.stdout, command.expected);
    if (result.status === 0 && shown) return;
    if (!(isRead(command.text) && result.status === 0 && Date.now() < deadline)) {
      throw new Error(describeFailure(command, result, stack()));
    }
    await sleep(RETRY_EVERY_MS);
  }
}

function describeFailure(command: WalkthroughCommand, result: CommandResult, stack: string): string {
  return [
    `README line ${command.line}: the command did not do what the README shows.`,
    `command:\n${command.text}`,
    `exit status: ${result.status}`,
    `printed:\n${result.stdout}`,
    ...(command.expected ? [`the README shows:\n${command.expected.join('\n')}`] : []),
    `stderr:\n${result.stderr}`,
    `the stack's last output:\n${stack.slice(-4_000)}`,
  ].join('\n\n');
}

function killGroup(child: ChildProcess, signal: NodeJS.Signals): void {
  try {
    process.kill(-child.pid!, signal);
  } catch {
    // already gone
  }
}

async function withTimeout<T>(promise: Promise<T>, timeoutMs: number, what: string): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const late = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error(`no ${what} within ${timeoutMs} ms`)), timeoutMs);
  });
  try {
    return await Promise.race([promise, late]);
  } finally {
    clearTimeout(timer);
  }
}

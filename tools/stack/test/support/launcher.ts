import { ChildProcess, spawn } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { mkdtempSync, readFileSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { deleteTestKeys } from '../../../testing/test-redis';
import { freePort } from '../../../testing/free-port';

export { freePort };

export const REPO_ROOT = join(__dirname, '../../../..');
export const LAUNCHER = join(REPO_ROOT, 'dist/tools/stack/src/main.js');
/** Set in every launcher a test starts; its children inherit it, so leftovers can be found. */
const MARKER = 'FICUS_STACK_TEST_RUN';

export interface Exit {
  readonly code: number | null;
  readonly signal: NodeJS.Signals | null;
}

/** A launcher started by a test, with its output collected. */
export class LauncherRun {
  private static readonly all = new Set<LauncherRun>();
  readonly marker = randomBytes(8).toString('hex');
  readonly exited: Promise<Exit>;
  private text = '';
  private closed = false;
  private readonly waiters = new Set<() => void>();
  private readonly process: ChildProcess;

  private readonly prefix: string | undefined;
  private readonly dataDir: string | undefined;

  private constructor(env: Readonly<Record<string, string>>) {
    this.prefix = env.REDIS_PREFIX;
    this.dataDir = env.STACK_DATA_DIR;
    this.process = spawn(process.execPath, [LAUNCHER], {
      cwd: REPO_ROOT,
      env: { ...process.env, ...env, [MARKER]: this.marker },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    for (const stream of [this.process.stdout, this.process.stderr]) {
      stream?.setEncoding('utf8').on('data', (chunk: string) => {
        this.text += chunk;
        for (const wake of this.waiters) wake();
      });
    }
    this.exited = new Promise((resolve) => this.process.once('close', (code, signal) => resolve({ code, signal })));
    void this.exited.then(() => {
      this.closed = true;
      for (const wake of this.waiters) wake();
    });
    LauncherRun.all.add(this);
  }

  /**
   * Starts `node dist/tools/stack/src/main.js` in the repository root with `env` added to this
   * process's. The services and the facade get free ports, a Redis key prefix of its own and a
   * data folder of its own (`STACK_DATA_DIR`, never the repository's data/) unless `env` names
   * them (the monolith's port and every database are the caller's to choose).
   */
  static async start(env: Readonly<Record<string, string>>): Promise<LauncherRun> {
    const run = new LauncherRun({
      CATALOG_PORT: String(await freePort()),
      INVENTORY_PORT: String(await freePort()),
      PAYMENTS_PORT: String(await freePort()),
      ORDERS_PORT: String(await freePort()),
      STRANGLER_PORT: String(await freePort()),
      STRANGLER_ADMIN_PORT: String(await freePort()),
      REDIS_PREFIX: `ficus-test:stack-${randomBytes(6).toString('hex')}:`,
      ...env,
      // Made only when the caller gives none, so that no empty folder is left behind.
      STACK_DATA_DIR: env.STACK_DATA_DIR ?? mkdtempSync(join(tmpdir(), 'ficus-launcher-')),
    });
    return run;
  }

  /** SIGKILLs every launcher the tests started and everything they started; for `afterEach`. */
  static async killAll(): Promise<void> {
    for (const run of LauncherRun.all) {
      for (const pid of [run.process.pid, ...processesMarked(run.marker)]) {
        if (pid !== undefined) killQuietly(pid);
      }
      await run.exited;
      if (run.prefix?.startsWith('ficus-test:')) await deleteTestKeys(run.prefix);
      if (run.dataDir?.startsWith(tmpdir())) rmSync(run.dataDir, { recursive: true, force: true });
    }
    LauncherRun.all.clear();
  }

  get pid(): number {
    return this.process.pid!;
  }

  get output(): string {
    return this.text;
  }

  signal(signal: NodeJS.Signals): void {
    this.process.kill(signal);
  }

  /** Resolves with the first match of `pattern` in the output; rejects if the launcher exits first or time runs out. */
  waitForOutput(pattern: RegExp, timeoutMs: number): Promise<RegExpMatchArray> {
    return this.until(() => this.text.match(pattern) ?? undefined, `output matching ${pattern}`, timeoutMs);
  }

  /** Resolves with how the launcher exited; rejects if it still runs after `timeoutMs`. */
  async waitForExit(timeoutMs: number): Promise<Exit> {
    let timer: NodeJS.Timeout | undefined;
    const late = new Promise<never>((_, reject) => {
      timer = setTimeout(() => reject(this.failure(`the launcher still runs after ${timeoutMs} ms`)), timeoutMs);
    });
    try {
      return await Promise.race([this.exited, late]);
    } finally {
      clearTimeout(timer);
    }
  }

  /** The pids of processes still running with this run's marker in their environment (the launcher's children). */
  leftovers(): number[] {
    return processesMarked(this.marker);
  }

  private until<T>(find: () => T | undefined, what: string, timeoutMs: number): Promise<T> {
    return new Promise((resolve, reject) => {
      const check = () => {
        const found = find();
        if (found !== undefined) finish(() => resolve(found));
        else if (this.closed) finish(() => reject(this.failure(`the launcher exited before ${what}`)));
      };
      const timer = setTimeout(
        () => finish(() => reject(this.failure(`no ${what} within ${timeoutMs} ms`))),
        timeoutMs,
      );
      const finish = (settle: () => void) => {
        clearTimeout(timer);
        this.waiters.delete(check);
        settle();
      };
      this.waiters.add(check);
      check();
    });
  }

  private failure(message: string): Error {
    return new Error(`${message}; its output:\n${this.text}`);
  }
}

/** Pids of live processes whose environment holds `FICUS_STACK_TEST_RUN=<marker>` (Linux /proc). */
function processesMarked(marker: string): number[] {
  const needle = `${MARKER}=${marker}`;
  const pids: number[] = [];
  for (const entry of readdirSync('/proc')) {
    if (!/^\d+$/.test(entry) || Number(entry) === process.pid) continue;
    try {
      if (readFileSync(`/proc/${entry}/environ`, 'latin1').split('\0').includes(needle)) pids.push(Number(entry));
    } catch {
      // gone meanwhile, or not ours to read
    }
  }
  return pids;
}

function killQuietly(pid: number): void {
  try {
    process.kill(pid, 'SIGKILL');
  } catch {
    // already gone
  }
}

/** Whether a process with this pid exists. */
export function isRunning(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === 'EPERM';
  }
}

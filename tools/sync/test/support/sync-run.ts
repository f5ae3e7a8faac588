import { type ChildProcess, spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import { join } from 'node:path';

export const REPO_ROOT = join(__dirname, '../../../..');
export const SYNC_VERIFY = join(REPO_ROOT, 'dist/tools/sync/src/main.js');

/** How a run ended, with everything it printed. */
export interface SyncRunResult {
  readonly status: number | null;
  readonly stdout: string;
  readonly stderr: string;
  /** The lines of standard output. */
  readonly lines: string[];
}

/** `node dist/tools/sync/src/main.js …` as a user runs it (`npm run sync:verify` without the build), in the repository root. */
export class SyncRun {
  private stdout = '';
  private stderr = '';
  private readonly waiters = new Set<() => void>();
  private readonly child: ChildProcess;
  readonly result: Promise<SyncRunResult>;

  private constructor(args: readonly string[], env: Readonly<Record<string, string | undefined>>) {
    if (!existsSync(SYNC_VERIFY)) throw new Error(`${SYNC_VERIFY} is missing: run npm run build first`);
    this.child = spawn(process.execPath, [SYNC_VERIFY, ...args], {
      cwd: REPO_ROOT,
      env: { ...process.env, ...env },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    this.child.stdout?.setEncoding('utf8').on('data', (chunk: string) => this.append('stdout', chunk));
    this.child.stderr?.setEncoding('utf8').on('data', (chunk: string) => this.append('stderr', chunk));
    this.result = new Promise((resolve) =>
      this.child.once('close', (status) => {
        for (const wake of this.waiters) wake();
        resolve({
          status,
          stdout: this.stdout,
          stderr: this.stderr,
          lines: this.stdout.split('\n').filter((line) => line !== ''),
        });
      }),
    );
  }

  static start(args: readonly string[], env: Readonly<Record<string, string | undefined>>): SyncRun {
    return new SyncRun(args, env);
  }

  /** Runs to the end. */
  static run(args: readonly string[], env: Readonly<Record<string, string | undefined>>): Promise<SyncRunResult> {
    return SyncRun.start(args, env).result;
  }

  /** Resolves once standard error has a line matching `pattern`; fails if the run ends first. */
  async stderrLine(pattern: RegExp): Promise<string> {
    for (;;) {
      const found = this.stderr.split('\n').find((line) => pattern.test(line));
      if (found) return found;
      if (this.child.exitCode !== null || this.child.signalCode !== null) {
        throw new Error(`sync:verify ended without ${pattern}; stdout:\n${this.stdout}\nstderr:\n${this.stderr}`);
      }
      await new Promise<void>((resolve) => {
        const wake = () => {
          this.waiters.delete(wake);
          resolve();
        };
        this.waiters.add(wake);
      });
    }
  }

  /** Stops the run if it is still going (for `afterEach`). */
  kill(): void {
    if (this.child.exitCode === null) this.child.kill('SIGKILL');
  }

  private append(stream: 'stdout' | 'stderr', chunk: string): void {
    if (stream === 'stdout') this.stdout += chunk;
    else this.stderr += chunk;
    for (const wake of this.waiters) wake();
  }
}

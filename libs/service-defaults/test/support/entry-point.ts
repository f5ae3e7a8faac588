import { type ChildProcess, spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import { join } from 'node:path';

export const REPO_ROOT = join(__dirname, '../../../..');

export interface Exit {
  readonly code: number | null;
  readonly signal: NodeJS.Signals | null;
}

/** A compiled entry point (`dist/…`) run by a test, its output collected. */
export class EntryPoint {
  private static readonly running = new Set<EntryPoint>();
  stdout = '';
  stderr = '';
  readonly exited: Promise<Exit>;
  private readonly child: ChildProcess;
  private readonly waiters = new Set<() => void>();

  private constructor(entry: string, args: readonly string[], env: Readonly<Record<string, string>>) {
    const script = join(REPO_ROOT, entry);
    if (!existsSync(script)) throw new Error(`${entry} is missing: run npm run build first`);
    this.child = spawn(process.execPath, [script, ...args], {
      cwd: REPO_ROOT,
      env: { ...process.env, ...env },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    this.child.stdout?.setEncoding('utf8').on('data', (chunk: string) => {
      this.stdout += chunk;
      for (const wake of this.waiters) wake();
    });
    this.child.stderr?.setEncoding('utf8').on('data', (chunk: string) => (this.stderr += chunk));
    this.exited = new Promise((resolve) => this.child.once('close', (code, signal) => resolve({ code, signal })));
    EntryPoint.running.add(this);
    void this.exited.then(() => {
      EntryPoint.running.delete(this);
      for (const wake of this.waiters) wake();
    });
  }

  static start(entry: string, env: Readonly<Record<string, string>>, args: readonly string[] = []): EntryPoint {
    return new EntryPoint(entry, args, env);
  }

  /** Runs it to its end. */
  static async run(
    entry: string,
    env: Readonly<Record<string, string>>,
    args: readonly string[] = [],
  ): Promise<Exit & { stdout: string; stderr: string }> {
    const run = new EntryPoint(entry, args, env);
    const exit = await run.exited;
    return { ...exit, stdout: run.stdout, stderr: run.stderr };
  }

  /** Resolves with the first JSON line on standard output that `matches`; rejects if the process ends first. */
  waitForLine(matches: (line: Record<string, unknown>) => boolean): Promise<Record<string, unknown>> {
    return new Promise((resolve, reject) => {
      const check = () => {
        const complete = this.stdout.slice(0, this.stdout.lastIndexOf('\n') + 1);
        for (const text of complete.split('\n')) {
          if (!text.startsWith('{')) continue;
          const line = JSON.parse(text) as Record<string, unknown>;
          if (matches(line)) {
            this.waiters.delete(check);
            resolve(line);
            return;
          }
        }
        if (this.child.exitCode !== null || this.child.signalCode !== null) {
          this.waiters.delete(check);
          reject(new Error(`The process ended first:\n${this.stdout}\n${this.stderr}`));
        }
      };
      this.waiters.add(check);
      check();
    });
  }

  /** SIGTERM, then its exit. */
  stop(): Promise<Exit> {
    this.child.kill('SIGTERM');
    return this.exited;
  }

  /** Kills whatever a failed test left running. */
  static async killAll(): Promise<void> {
    await Promise.all(
      [...EntryPoint.running].map((run) => {
        run.child.kill('SIGKILL');
        return run.exited;
      }),
    );
  }
}

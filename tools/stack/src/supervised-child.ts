import { ChildProcess, spawn } from 'node:child_process';
import { StackOutput, pipeLines } from './output';

export interface ChildExit {
  readonly code: number | null;
  readonly signal: NodeJS.Signals | null;
  /** Set when the process could not be started at all (`ENOENT`, …). */
  readonly error?: Error;
}

export interface SupervisedChildOptions {
  /** The name its output lines are prefixed with. */
  readonly name: string;
  readonly command: string;
  readonly args: readonly string[];
  readonly env: Readonly<Record<string, string | undefined>>;
  readonly cwd: string;
  /**
   * Open an IPC channel: a Nest service shuts down gracefully when its IPC parent goes away,
   * so even a launcher killed with SIGKILL leaves no service behind.
   */
  readonly ipc: boolean;
  readonly output: StackOutput;
  /** Prefix width, so the output of several processes lines up. */
  readonly prefixWidth?: number;
}

/** Describes how a child ended, for messages: `code 1`, `signal SIGKILL`. */
export function describeExit(exit: ChildExit): string {
  if (exit.error) return `could not start: ${exit.error.message}`;
  return exit.signal ? `signal ${exit.signal}` : `code ${exit.code}`;
}

/** A child process whose output is prefixed with its name, and which can be stopped within a bound. */
export class SupervisedChild {
  /** Resolves once the process has exited and its output is flushed; never rejects. */
  readonly exited: Promise<ChildExit>;
  private exit: ChildExit | undefined;

  private constructor(
    readonly name: string,
    private readonly child: ChildProcess,
    options: SupervisedChildOptions,
  ) {
    const prefix = `[${name}]`.padEnd(options.prefixWidth ?? 0) + ' ';
    const drained = Promise.all([
      child.stdout ? pipeLines(child.stdout, prefix, options.output.out) : undefined,
      child.stderr ? pipeLines(child.stderr, prefix, options.output.err) : undefined,
    ]);
    this.exited = new Promise<ChildExit>((resolve) => {
      child.once('error', (error) => {
        // Emitted instead of 'exit' when the process never started.
        if (child.pid === undefined) resolve({ code: null, signal: null, error });
      });
      child.once('exit', (code, signal) => resolve({ code, signal }));
    }).then(async (exit) => {
      await drained;
      this.exit = exit;
      return exit;
    });
  }

  static start(options: SupervisedChildOptions): SupervisedChild {
    const child = spawn(options.command, [...options.args], {
      cwd: options.cwd,
      env: options.env,
      stdio: options.ipc ? ['ignore', 'pipe', 'pipe', 'ipc'] : ['ignore', 'pipe', 'pipe'],
    });
    return new SupervisedChild(options.name, child, options);
  }

  get pid(): number | undefined {
    return this.child.pid;
  }

  get running(): boolean {
    return this.exit === undefined;
  }

  /**
   * Sends SIGTERM and waits for the process to exit; after `timeoutMs` sends SIGKILL.
   * Resolves with how it ended and whether it had to be killed.
   */
  async stop(timeoutMs: number): Promise<ChildExit & { readonly killed: boolean }> {
    if (this.exit) return { ...this.exit, killed: false };
    this.child.kill('SIGTERM');
    let timer: NodeJS.Timeout | undefined;
    const timedOut = new Promise<'timeout'>((resolve) => {
      timer = setTimeout(() => resolve('timeout'), timeoutMs);
    });
    const first = await Promise.race([this.exited, timedOut]);
    clearTimeout(timer);
    if (first !== 'timeout') return { ...first, killed: false };
    this.child.kill('SIGKILL');
    return { ...(await this.exited), killed: true };
  }
}

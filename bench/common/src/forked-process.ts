import { type ChildProcess, fork } from 'node:child_process';
import { setTimeout as sleep } from 'node:timers/promises';

/** A reply that takes longer than this means a process is stuck: the run fails. */
const REPLY_TIMEOUT_MS = 120_000;
/** How long a process may take to answer `stop`, then to exit, before it is killed. */
const STOP_WAIT_MS = 5_000;

type Message = { readonly type: string };
type Failed = { readonly type: 'failed'; readonly error: string };

/**
 * The coordinator's side of one process of a benchmark (started with `fork`), driven over
 * IPC one command at a time. The process answers `ready` once started, `failed` with an
 * error, and exits after a `stop` command.
 */
export class ForkedProcess<C extends Message, R extends Message> {
  private readonly child: ChildProcess;
  private waiting?: { resolve: (reply: R) => void; reject: (error: Error) => void };
  private readonly ready: Promise<Extract<R, { type: 'ready' }>>;
  private exited = false;

  constructor(
    readonly name: string,
    /** The script's absolute path. */
    script: string,
    args: unknown,
    execArgv: readonly string[] = [],
  ) {
    this.child = fork(script, [JSON.stringify(args)], {
      stdio: ['ignore', 'inherit', 'inherit', 'ipc'],
      execArgv: [...execArgv],
    });
    this.ready = this.next('start') as Promise<Extract<R, { type: 'ready' }>>;
    this.child.on('message', (reply: R | Failed) => {
      const waiting = this.waiting;
      this.waiting = undefined;
      if (reply.type === 'failed') waiting?.reject(new Error(`${name}: ${(reply as Failed).error}`));
      else waiting?.resolve(reply as R);
    });
    // A send to a process that has just died fails here as well as in `ask`'s callback.
    this.child.on('error', () => undefined);
    this.child.on('exit', (code, signal) => {
      this.exited = true;
      this.fail(new Error(`${name}: its process exited (${signal ?? code})`));
    });
  }

  get pid(): number | undefined {
    return this.child.pid;
  }

  /** Resolves once the process is ready. */
  started(): Promise<Extract<R, { type: 'ready' }>> {
    return this.ready;
  }

  async ask(command: C): Promise<R> {
    await this.ready;
    if (this.exited) throw new Error(`${this.name}: its process has exited`);
    const reply = this.next(command.type);
    this.child.send(command, (error) => {
      if (error) this.fail(new Error(`${this.name}: ${error.message}`));
    });
    return reply;
  }

  /** Asks the process to close what it serves and exit (so a CPU profile is written); kills it if it does not. */
  async stop(stopCommand: C): Promise<void> {
    if (this.exited) return;
    const exited = new Promise<void>((resolve) => this.child.once('exit', () => resolve()));
    try {
      await Promise.race([this.ask(stopCommand), sleep(STOP_WAIT_MS)]);
      await Promise.race([exited, sleep(STOP_WAIT_MS)]);
    } catch {
      // It failed or is gone: make sure.
    }
    if (!this.exited) this.child.kill('SIGKILL');
  }

  private fail(error: Error): void {
    const waiting = this.waiting;
    this.waiting = undefined;
    waiting?.reject(error);
  }

  private next(what: string): Promise<R> {
    return new Promise((resolve, reject) => {
      const timer = setTimeout(() => {
        this.waiting = undefined;
        reject(new Error(`${this.name}: ${what} did not finish within ${REPLY_TIMEOUT_MS} ms`));
      }, REPLY_TIMEOUT_MS);
      this.waiting = {
        resolve: (reply) => {
          clearTimeout(timer);
          resolve(reply);
        },
        reject: (error) => {
          clearTimeout(timer);
          reject(error);
        },
      };
    });
  }
}

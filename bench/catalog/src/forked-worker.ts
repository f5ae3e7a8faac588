import { type ChildProcess, fork } from 'node:child_process';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import type { Command, Reply } from './protocol';
import { processCpuMicros } from './services';

/** A reply that takes longer than this means a worker is stuck: the run fails. */
const REPLY_TIMEOUT_MS = 120_000;

/**
 * The coordinator's side of a worker process of the benchmark (`fork` of a script beside
 * this file), driven over IPC one command at a time.
 */
export class ForkedWorker {
  private readonly child: ChildProcess;
  private waiting?: { resolve: (reply: Reply) => void; reject: (error: Error) => void };
  private readonly ready: Promise<Extract<Reply, { type: 'ready' }>>;
  private exited = false;

  constructor(
    readonly name: string,
    script: string,
    args: unknown,
  ) {
    this.child = fork(join(__dirname, script), [JSON.stringify(args)], {
      stdio: ['ignore', 'inherit', 'inherit', 'ipc'],
    });
    this.ready = this.next('start') as Promise<Extract<Reply, { type: 'ready' }>>;
    this.child.on('message', (reply: Reply) => {
      const waiting = this.waiting;
      this.waiting = undefined;
      if (reply.type === 'failed') waiting?.reject(new Error(`${name}: ${reply.error}`));
      else waiting?.resolve(reply);
    });
    // A send to a worker that has just died fails here as well as in `ask`'s callback.
    this.child.on('error', () => undefined);
    this.child.on('exit', (code, signal) => {
      this.exited = true;
      this.waiting?.reject(new Error(`${name}: its process exited (${signal ?? code})`));
      this.waiting = undefined;
    });
  }

  /** Resolves once the worker is ready (with the ports it listens on, if it serves). */
  started(): Promise<Extract<Reply, { type: 'ready' }>> {
    return this.ready;
  }

  cpuMicros(): number | undefined {
    return processCpuMicros(this.child.pid);
  }

  async ask(command: Command): Promise<Reply> {
    await this.ready;
    if (this.exited) throw new Error(`${this.name}: its process has exited`);
    const reply = this.next(command.type);
    this.child.send(command, (error) => {
      if (error) this.fail(new Error(`${this.name}: ${error.message}`));
    });
    return reply;
  }

  private fail(error: Error): void {
    const waiting = this.waiting;
    this.waiting = undefined;
    waiting?.reject(error);
  }

  /** Asks the worker to close what it serves and exit; kills it if it does not. */
  async stop(): Promise<void> {
    if (this.exited) return;
    const exited = new Promise<void>((resolve) => this.child.once('exit', () => resolve()));
    try {
      await Promise.race([this.ask({ type: 'stop' }), sleep(5_000)]);
      await Promise.race([exited, sleep(5_000)]);
    } catch {
      // It failed or is gone: make sure.
    }
    if (!this.exited) this.child.kill('SIGKILL');
  }

  private next(what: string): Promise<Reply> {
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

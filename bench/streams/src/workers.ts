import { type ChildProcess, fork } from 'node:child_process';
import { join } from 'node:path';
import type { BenchConfig } from './config';
import type { WorkerArguments, WorkerCommand, WorkerReply } from './protocol';

/** A round that takes longer than this has lost messages or a connection: the run fails. */
const ROUND_TIMEOUT_MS = 60_000;

/** The coordinator's side of one contender's process. */
export class ContenderProcess {
  private readonly child: ChildProcess;
  private waiting?: { resolve: (reply: WorkerReply) => void; reject: (error: Error) => void };
  private readonly ready: Promise<void>;
  private exited = false;

  constructor(
    readonly name: string,
    config: BenchConfig,
  ) {
    const args: WorkerArguments = { contender: name, config };
    this.child = fork(join(__dirname, 'worker.js'), [JSON.stringify(args)], {
      stdio: ['ignore', 'inherit', 'inherit', 'ipc'],
    });
    this.ready = this.next('start').then(() => undefined);
    this.child.on('message', (reply: WorkerReply) => {
      const waiting = this.waiting;
      this.waiting = undefined;
      if (reply.type === 'failed') waiting?.reject(new Error(`${name}: ${reply.error}`));
      else waiting?.resolve(reply);
    });
    this.child.on('exit', (code, signal) => {
      this.exited = true;
      this.waiting?.reject(new Error(`${name}: its process exited (${signal ?? code})`));
      this.waiting = undefined;
    });
  }

  started(): Promise<void> {
    return this.ready;
  }

  /** Runs one round and resolves with the contender's answer. */
  async run<T extends 'events' | 'requests'>(
    command: WorkerCommand & { type: T },
  ): Promise<Extract<WorkerReply, { type: T }>> {
    return (await this.ask(command)) as Extract<WorkerReply, { type: T }>;
  }

  /** Stops the contender (closing its connections) and lets its process exit. */
  async stop(): Promise<void> {
    if (this.exited) return;
    try {
      await this.ask({ type: 'stop' });
    } catch {
      this.child.kill();
    }
  }

  private async ask(command: WorkerCommand): Promise<WorkerReply> {
    await this.ready;
    const reply = this.next(command.type === 'stop' ? 'stop' : `${command.type} round`);
    this.child.send(command);
    return reply;
  }

  private next(what: string): Promise<WorkerReply> {
    return new Promise((resolve, reject) => {
      const timer = setTimeout(() => {
        this.waiting = undefined;
        reject(new Error(`${this.name}: ${what} did not finish within ${ROUND_TIMEOUT_MS} ms`));
      }, ROUND_TIMEOUT_MS);
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

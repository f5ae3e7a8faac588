import { type ChildProcess, fork } from 'node:child_process';
import { mkdirSync } from 'node:fs';
import { join, resolve } from 'node:path';
import type { Command, Reply } from './protocol';

/** A reply that takes longer than this means a process is stuck: the run fails. */
const REPLY_TIMEOUT_MS = 120_000;

/**
 * The coordinator's side of one process of the benchmark (the upstream, a proxy, the load
 * generator): started with `fork`, driven over IPC one command at a time.
 */
export class BenchProcess {
  private readonly child: ChildProcess;
  private waiting?: { resolve: (reply: Reply) => void; reject: (error: Error) => void };
  private readonly ready: Promise<Extract<Reply, { type: 'ready' }>>;
  private exited = false;

  constructor(
    readonly name: string,
    script: string,
    args: unknown,
    options: { cpuProfileDir?: string } = {},
  ) {
    const execArgv: string[] = [];
    if (options.cpuProfileDir) {
      const dir = resolve(options.cpuProfileDir);
      mkdirSync(dir, { recursive: true });
      execArgv.push('--cpu-prof', `--cpu-prof-dir=${dir}`, `--cpu-prof-name=${name}-${Date.now()}.cpuprofile`);
    }
    this.child = fork(join(__dirname, script), [JSON.stringify(args)], {
      stdio: ['ignore', 'inherit', 'inherit', 'ipc'],
      execArgv,
    });
    this.ready = this.next('start') as Promise<Extract<Reply, { type: 'ready' }>>;
    this.child.on('message', (reply: Reply) => {
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

  get pid(): number | undefined {
    return this.child.pid;
  }

  /** Resolves once the process is ready, with the port it listens on (if it serves). */
  started(): Promise<Extract<Reply, { type: 'ready' }>> {
    return this.ready;
  }

  async ask(command: Command): Promise<Reply> {
    await this.ready;
    const reply = this.next(command.type);
    this.child.send(command);
    return reply;
  }

  /** The process's CPU time so far, in µs (user + system). */
  async cpuMicros(): Promise<number> {
    const reply = await this.ask({ type: 'cpu' });
    if (reply.type !== 'cpu') throw new Error(`${this.name}: answered ${reply.type} to cpu`);
    return reply.userUs + reply.systemUs;
  }

  /** Asks the process to close what it serves and exit (so that a CPU profile is written). */
  async stop(): Promise<void> {
    if (this.exited) return;
    const exited = new Promise<void>((resolve) => this.child.once('exit', () => resolve()));
    try {
      await this.ask({ type: 'stop' });
      await Promise.race([exited, new Promise((resolve) => setTimeout(resolve, 5_000))]);
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

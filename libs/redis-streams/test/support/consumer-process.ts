import { type ChildProcess, fork } from 'node:child_process';
import { existsSync } from 'node:fs';
import { join } from 'node:path';

const FIXTURE = join(__dirname, '..', 'fixtures', 'consumer-process.js');
const BUILT_LIBRARY = join(__dirname, '..', '..', '..', '..', 'dist', 'libs', 'redis-streams', 'src', 'index.js');
/** Built only by a build that knows Redis Cluster. */
const BUILT_CLUSTER_SUPPORT = join(BUILT_LIBRARY, '..', 'cluster-connection.js');

export type ConsumerMessage =
  | { type: 'ready'; consumer: string; livenessKey: string }
  | { type: 'client'; replyStream: string }
  | { type: 'error'; message: string }
  | {
      type: 'handling';
      kind: 'request' | 'event';
      messageId: string;
      entryId: string;
      deliveries: number;
      data: unknown;
    };

/**
 * `fixtures/consumer-process.js` in a child process: a service instance whose handlers
 * never finish, to be killed with SIGKILL. Needs the built library (`npm run build`).
 */
export class ConsumerProcess {
  readonly messages: ConsumerMessage[] = [];
  private output = '';
  private readonly exited: Promise<void>;

  private constructor(private readonly child: ChildProcess) {
    child.on('message', (message) => this.messages.push(message as ConsumerMessage));
    child.stdout?.on('data', (chunk: Buffer) => (this.output += chunk.toString()));
    child.stderr?.on('data', (chunk: Buffer) => (this.output += chunk.toString()));
    this.exited = new Promise((resolve) => child.once('exit', () => resolve()));
  }

  static async start(env: Record<string, string>): Promise<ConsumerProcess> {
    if (!existsSync(BUILT_LIBRARY)) throw new Error(`${BUILT_LIBRARY} is missing: run npm run build first`);
    if (env.REDIS_URL?.includes('cluster=true') && !existsSync(BUILT_CLUSTER_SUPPORT)) {
      throw new Error(`${BUILT_LIBRARY} was built before Redis Cluster support: run npm run build first`);
    }
    const child = fork(FIXTURE, [], {
      env: { ...process.env, ...env },
      stdio: ['ignore', 'pipe', 'pipe', 'ipc'],
    });
    const consumer = new ConsumerProcess(child);
    await consumer.waitFor((m) => m.type === 'ready', 20_000, 'the consumer process to start');
    return consumer;
  }

  get pid(): number | undefined {
    return this.child.pid;
  }

  get alive(): boolean {
    return this.child.exitCode === null && this.child.signalCode === null;
  }

  /** Resolves with the first message matching `predicate`; fails if the process exits or on timeout. */
  async waitFor(predicate: (message: ConsumerMessage) => boolean, timeoutMs = 10_000, what = 'a message') {
    const deadline = Date.now() + timeoutMs;
    for (;;) {
      const found = this.messages.find(predicate);
      if (found) return found;
      const failure = this.messages.find((m) => m.type === 'error');
      if (failure || !this.alive) {
        throw new Error(
          `The consumer process failed while waiting for ${what}: ${JSON.stringify(failure)} ${this.output}`,
        );
      }
      if (Date.now() > deadline) throw new Error(`Timed out waiting for ${what}; output: ${this.output}`);
      await new Promise((resolve) => setTimeout(resolve, 20));
    }
  }

  /** Kills the process with SIGKILL (no shutdown, no acknowledgement) and waits for it to be gone. */
  async kill(): Promise<void> {
    if (this.alive) this.child.kill('SIGKILL');
    await this.exited;
  }
}

import { type ChildProcess, fork } from 'node:child_process';
import { join } from 'node:path';
import type { RuleSetInput } from '../../src/rules';
import type { MemoryGrowth } from './memory-probe';

const FIXTURE = join(__dirname, '..', 'fixtures', 'facade-process.js');

type Message =
  { type: 'ready'; port: number } | ({ type: 'growth' } & MemoryGrowth) | { type: 'error'; message: string };

/**
 * A data plane in a child process (`fixtures/facade-process.js`), for measuring the
 * facade's own memory: the test's client and stub upstreams stay in the Jest process.
 */
export class FacadeProcess {
  private readonly messages: Message[] = [];
  private output = '';
  private boundPort = 0;

  private constructor(private readonly child: ChildProcess) {
    child.on('message', (message) => this.messages.push(message as Message));
    child.stdout?.on('data', (chunk: Buffer) => (this.output += chunk.toString()));
    child.stderr?.on('data', (chunk: Buffer) => (this.output += chunk.toString()));
  }

  get port(): number {
    return this.boundPort;
  }

  get url(): string {
    return `http://127.0.0.1:${this.boundPort}`;
  }

  static async start(rules: RuleSetInput, options: Record<string, unknown> = {}): Promise<FacadeProcess> {
    const child = fork(FIXTURE, [], {
      execArgv: ['--expose-gc'],
      env: { ...process.env, FACADE_RULES: JSON.stringify(rules), FACADE_OPTIONS: JSON.stringify(options) },
      stdio: ['ignore', 'pipe', 'pipe', 'ipc'],
    });
    const facade = new FacadeProcess(child);
    try {
      facade.boundPort = (await facade.next('ready', 30_000)).port;
    } catch (error) {
      child.kill('SIGKILL');
      throw error;
    }
    return facade;
  }

  /** Starts sampling the process's memory (after collecting garbage, every 50 ms). */
  startProbe(): void {
    this.child.send({ type: 'probe-start' });
  }

  /** Peak growth since `startProbe`. */
  async stopProbe(): Promise<MemoryGrowth> {
    this.child.send({ type: 'probe-stop' });
    const { rss, retained } = await this.next('growth', 5_000);
    return { rss, retained };
  }

  async close(): Promise<void> {
    if (this.child.exitCode !== null) return;
    const exited = new Promise<void>((resolve) => this.child.once('exit', () => resolve()));
    this.child.disconnect();
    const killer = setTimeout(() => this.child.kill('SIGKILL'), 5_000);
    await exited;
    clearTimeout(killer);
  }

  private async next<T extends Message['type']>(type: T, timeoutMs: number): Promise<Extract<Message, { type: T }>> {
    const deadline = Date.now() + timeoutMs;
    for (;;) {
      const index = this.messages.findIndex((m) => m.type === type || m.type === 'error');
      if (index !== -1) {
        const [message] = this.messages.splice(index, 1) as [Message];
        if (message.type === 'error') throw new Error(`the facade process failed: ${message.message}`);
        return message as Extract<Message, { type: T }>;
      }
      if (this.child.exitCode !== null) throw new Error(`the facade process exited: ${this.output}`);
      if (Date.now() > deadline)
        throw new Error(`timed out waiting for ${type} from the facade process: ${this.output}`);
      await new Promise((resolve) => setTimeout(resolve, 10));
    }
  }
}

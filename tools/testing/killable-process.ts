import { join } from 'node:path';
import { SupervisedChild, describeExit } from '../stack/src/supervised-child';
import { waitUntilReady } from '../stack/src/readiness';
import { REPO_ROOT } from '../stack/test/support/launcher';
import type { CompiledProcessOptions } from './compiled-process';

const READY_WITHIN_MS = 60_000;
const STOP_WITHIN_MS = 15_000;

/**
 * One compiled process of the repository, as `CompiledProcess` starts it (its output collected, an
 * IPC channel so that it goes away with the test), that a test can also freeze (`SIGSTOP`), thaw
 * (`SIGCONT`), kill (`SIGKILL`) and start again with the same environment: on the same database,
 * port and Redis prefix, as a supervisor restarts a crashed service.
 */
export class KillableProcess {
  private child: SupervisedChild;
  private readonly lines: string[] = [];
  private paused = false;
  /** How many times it was started (1 before any restart), to name its output. */
  private starts = 0;

  private constructor(private readonly options: CompiledProcessOptions) {
    this.child = this.spawn();
  }

  static async start(options: CompiledProcessOptions): Promise<KillableProcess> {
    const started = new KillableProcess(options);
    await started.ready();
    return started;
  }

  get name(): string {
    return this.options.name;
  }

  get pid(): number {
    const pid = this.child.pid;
    if (pid === undefined) throw new Error(`${this.name} has no process id`);
    return pid;
  }

  get running(): boolean {
    return this.child.running;
  }

  get output(): string {
    return this.lines.join('\n');
  }

  /** Freezes it (`SIGSTOP`): it reads nothing, answers nothing, until {@link resume}. */
  pause(): void {
    process.kill(this.pid, 'SIGSTOP');
    this.paused = true;
  }

  /** Thaws it (`SIGCONT`). */
  resume(): void {
    if (!this.paused) return;
    if (this.child.running) process.kill(this.pid, 'SIGCONT');
    this.paused = false;
  }

  /** `SIGKILL` (frozen or not), once it has exited: nothing of it runs any more. */
  async kill(): Promise<void> {
    if (this.child.running) process.kill(this.pid, 'SIGKILL');
    const exit = await this.child.exited;
    this.paused = false;
    if (exit.signal !== 'SIGKILL' && exit.code === null) throw new Error(`${this.name} ended: ${describeExit(exit)}`);
  }

  /** Starts it again, once the previous process is gone, and waits until it is ready. */
  async restart(): Promise<void> {
    if (this.child.running) throw new Error(`${this.name} still runs: kill it before a restart`);
    this.child = this.spawn();
    await this.ready();
  }

  /** Stops it as `CompiledProcess` does (`SIGTERM`, `SIGKILL` after 15 s), thawed first. */
  async stop(): Promise<void> {
    this.resume();
    await this.child.stop(STOP_WITHIN_MS);
  }

  private spawn(): SupervisedChild {
    this.starts += 1;
    const collect = (line: string) => void this.lines.push(line);
    return SupervisedChild.start({
      name: this.starts === 1 ? this.options.name : `${this.options.name}#${this.starts}`,
      command: process.execPath,
      args: [join(REPO_ROOT, this.options.entry)],
      cwd: REPO_ROOT,
      env: { ...process.env, LOG_LEVEL: process.env.STAGES_LOG_LEVEL ?? 'error', ...this.options.env },
      ipc: true,
      output: { out: collect, err: collect },
    });
  }

  private async ready(): Promise<void> {
    const ready = await waitUntilReady(this.options.readyUrl, { timeoutMs: READY_WITHIN_MS });
    if (!ready.ready) {
      await this.stop();
      throw new Error(`${this.name} was not ready; its output:\n${this.output}`);
    }
  }
}

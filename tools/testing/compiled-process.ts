import { join } from 'node:path';
import { REPO_ROOT } from '../stack/test/support/launcher';
import { SupervisedChild } from '../stack/src/supervised-child';
import { waitUntilReady } from '../stack/src/readiness';

const READY_WITHIN_MS = 60_000;

export interface CompiledProcessOptions {
  /** Names its output, for a reader of a failure. */
  readonly name: string;
  /** The compiled entry point, relative to the repository root (`dist/legacy-monolith/src/main.js`). */
  readonly entry: string;
  /** Added to this process's environment. */
  readonly env: Readonly<Record<string, string>>;
  /** Answers 200 once the process can take traffic. */
  readonly readyUrl: string;
}

/**
 * One process of the repository (compiled) started by a test beside a stack, with its output
 * collected; started once `readyUrl` answers 200, stopped (and its output kept) otherwise.
 */
export class CompiledProcess {
  private constructor(
    private readonly child: SupervisedChild,
    private readonly lines: string[],
  ) {}

  static async start(options: CompiledProcessOptions): Promise<CompiledProcess> {
    const lines: string[] = [];
    const collect = (line: string) => void lines.push(line);
    const child = SupervisedChild.start({
      name: options.name,
      command: process.execPath,
      args: [join(REPO_ROOT, options.entry)],
      cwd: REPO_ROOT,
      env: { ...process.env, LOG_LEVEL: process.env.STAGES_LOG_LEVEL ?? 'error', ...options.env },
      // Over IPC it shuts down by itself should this test process die.
      ipc: true,
      output: { out: collect, err: collect },
    });
    const started = new CompiledProcess(child, lines);
    const ready = await waitUntilReady(options.readyUrl, { timeoutMs: READY_WITHIN_MS });
    if (!ready.ready) {
      await started.stop();
      throw new Error(`${options.name} was not ready; its output:\n${started.output}`);
    }
    return started;
  }

  get output(): string {
    return this.lines.join('\n');
  }

  async stop(): Promise<void> {
    await this.child.stop(15_000);
  }
}

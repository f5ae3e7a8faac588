import { join } from 'node:path';
import { StackOutput, stackLog } from './output';
import { DEFAULT_STEP_TIMEOUT_MS, ProcessSpec, StepSpec } from './processes';
import { StackError } from './stack-errors';
import { ChildExit, SupervisedChild, describeExit } from './supervised-child';

export interface OneShotStepOptions {
  /** The row the step belongs to, and the step. */
  readonly spec: ProcessSpec;
  readonly step: StepSpec;
  /** The row's environment (its database, ports, …). */
  readonly env: Readonly<Record<string, string | undefined>>;
  /** The repository root: the entry is relative to it and the step runs in it. */
  readonly rootDir: string;
  readonly output: StackOutput;
  readonly prefixWidth: number;
  /** How long a step that ran out of time may take to exit after SIGTERM. */
  readonly stopTimeoutMs: number;
  /** Aborts the wait (the stack is stopping); the caller stops the step then. */
  readonly signal: AbortSignal;
  /** Called with the step's process as soon as it is started, so the stack can stop it. */
  readonly started: (child: SupervisedChild) => void;
}

/**
 * Runs a row's one-shot step (e.g. the monolith's backfill) to its end, its output prefixed with
 * its name. Resolves once it exited 0; throws a {@link StackError} that names the step and says why
 * the stack needs it when it fails or runs past its time (it is stopped then), and the abort
 * reason when `signal` aborts.
 */
export async function runOneShotStep(options: OneShotStepOptions): Promise<void> {
  const { spec, step, output, signal } = options;
  signal.throwIfAborted();
  const startedAt = Date.now();
  const timeoutMs = step.timeoutMs ?? DEFAULT_STEP_TIMEOUT_MS;
  const child = SupervisedChild.start({
    name: step.name,
    command: process.execPath,
    args: [join(options.rootDir, step.entry)],
    cwd: options.rootDir,
    env: options.env,
    // A one-shot command ends by itself; stopping the stack sends it SIGTERM like the others.
    ipc: false,
    output,
    prefixWidth: options.prefixWidth,
  });
  options.started(child);
  stackLog(output, `Running the ${step.name} of ${spec.name} (pid ${child.pid}): it ${step.purpose}.`);
  const exit = await exitWithin(child, timeoutMs, signal);
  if (exit === 'timeout') {
    await child.stop(options.stopTimeoutMs);
    throw new StackError(
      'STACK_STEP_FAILED',
      `The ${step.name} of ${spec.name} did not finish within ${timeoutMs} ms and was stopped; ` +
        `its output above may say why. The stack needs it: it ${step.purpose}.`,
    );
  }
  if (exit.error || exit.code !== 0) {
    throw new StackError(
      'STACK_STEP_FAILED',
      `The ${step.name} of ${spec.name} failed (${describeExit(exit)}); its output above says why. ` +
        `The stack needs it: it ${step.purpose}.`,
    );
  }
  const seconds = ((Date.now() - startedAt) / 1000).toFixed(1);
  stackLog(output, `The ${step.name} of ${spec.name} finished in ${seconds} s.`);
}

/** How `child` exited, or `'timeout'` if it still runs after `timeoutMs`; rejects when `signal` aborts. */
function exitWithin(child: SupervisedChild, timeoutMs: number, signal: AbortSignal): Promise<ChildExit | 'timeout'> {
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => settle(() => resolve('timeout')), timeoutMs);
    const onAbort = () => settle(() => reject(signal.reason));
    const settle = (done: () => void) => {
      clearTimeout(timer);
      signal.removeEventListener('abort', onAbort);
      done();
    };
    signal.addEventListener('abort', onAbort, { once: true });
    void child.exited.then((exit) => settle(() => resolve(exit)));
  });
}

import { BenchStack, type StackSettings } from '../../convergence/src/bench-stack';
import { FACADES } from './config';
import { FacadeAdmin } from './facade-admin';

export interface ReplicaStackSettings extends StackSettings {
  /** `STRANGLER_POLL_INTERVAL_MS` of the facades; unset (their default) when undefined. */
  readonly pollIntervalMs: number | undefined;
}

/**
 * The whole stack as `npm start` runs it ({@link BenchStack}), with {@link FACADES} facades
 * (`STACK_REPLICAS=strangler=<n>`, one instance of every other process), and a client of each
 * facade's admin API.
 */
export class ReplicaStack {
  private stopping: Promise<void> | undefined;

  private constructor(
    private readonly stack: BenchStack,
    /** Each facade's admin API, by instance (the first is `strangler#1`). */
    readonly facades: readonly FacadeAdmin[],
  ) {}

  static async start(settings: ReplicaStackSettings, readyTimeoutMs: number): Promise<ReplicaStack> {
    const stack = await BenchStack.start(settings, readyTimeoutMs, {
      facades: FACADES,
      // The variant decides the poll, not the caller's shell.
      env: { STRANGLER_POLL_INTERVAL_MS: settings.pollIntervalMs?.toString() },
    });
    const facades = Array.from(
      { length: FACADES },
      (_, index) => new FacadeAdmin(`strangler#${index + 1}`, stack.url('admin', index + 1), settings.adminToken),
    );
    return new ReplicaStack(stack, facades);
  }

  /** The last lines of the processes' own output. */
  get outputTail(): readonly string[] {
    return this.stack.outputTail;
  }

  /** Stops everything as Ctrl-C would, and waits until it has. */
  stop(): Promise<void> {
    this.stopping ??= (async () => {
      await Promise.all(this.facades.map((facade) => facade.close().catch(() => undefined)));
      await this.stack.stop('the benchmark is done with this stack');
    })();
    return this.stopping;
  }
}

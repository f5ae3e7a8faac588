const log = (line: string) => process.stderr.write(`${line}\n`);

/**
 * What to undo at the end of a run (stop processes, delete files and keys), run in reverse
 * order of registration, once, whether the run succeeded, failed or was interrupted.
 */
export class Teardown {
  private readonly steps: { name: string; undo: () => Promise<unknown> }[] = [];
  private running?: Promise<void>;

  add(name: string, undo: () => Promise<unknown>): void {
    this.steps.push({ name, undo });
  }

  /** Runs every step (each failure is logged, not thrown); later calls wait for the first. */
  run(): Promise<void> {
    this.running ??= (async () => {
      for (const step of this.steps.reverse()) {
        try {
          await step.undo();
        } catch (error) {
          log(`clean-up: ${step.name} failed: ${error instanceof Error ? error.message : String(error)}`);
        }
      }
    })();
    return this.running;
  }
}

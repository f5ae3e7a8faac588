/**
 * Runs a benchmark's `main` and exits: 0 when it resolved, 1 with its error on stderr when it
 * failed (its clean-up has run by then).
 */
export function runBenchmark(main: () => Promise<void>): void {
  main().then(
    () => process.exit(0),
    (error: unknown) => {
      process.stderr.write(`${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`);
      process.exit(1);
    },
  );
}

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

/**
 * Runs a benchmark's `main` with its clean-up: `teardown` runs once `main` has ended (resolved or
 * failed) or on `SIGINT`/`SIGTERM` (then the exit status is 130), and the process exits 0, or 1 with
 * the error on stderr (only its message when `expected` says it is one the user caused, e.g. a bad
 * setting).
 */
export function runWithTeardown(
  main: () => Promise<void>,
  teardown: { run(): Promise<void> },
  expected: (error: unknown) => boolean = () => false,
): void {
  const log = (line: string) => process.stderr.write(`${line}\n`);
  for (const signal of ['SIGINT', 'SIGTERM'] as const) {
    process.once(signal, () => {
      log(`${signal}: cleaning up`);
      void teardown.run().then(() => process.exit(130));
    });
  }
  main()
    .then(
      () => 0,
      (error: unknown) => {
        if (expected(error) && error instanceof Error) log(error.message);
        else log(error instanceof Error ? (error.stack ?? error.message) : String(error));
        return 1;
      },
    )
    .then(async (code) => {
      await teardown.run();
      process.exit(code);
    });
}

import { findRepositoryRoot } from '../../stack/src/repository-root';
import { refuseRepair } from './repair';
import { formatJson, formatJsonError, formatReport, formatRetry } from './report-format';
import { type EnvSource, locateSides } from './side-locations';
import { EXIT_DIFFERENT, EXIT_EQUAL, EXIT_FAILED, SyncError } from './sync-errors';
import { USAGE, parseSyncArguments } from './sync-options';
import type { SyncOutput } from './sync-output';
import { verifySync } from './verify-sync';

export interface RunOptions {
  /** The repository root: relative SQLite paths are its, as for the processes the launcher runs. */
  readonly rootDir?: string;
  /** How long `--wait` leaves between two checks (tests shorten it). */
  readonly intervalMs?: number;
}

/**
 * `npm run sync:verify`, in-process: reads `argv` (without `node` and the script) and the
 * launcher's variables in `env`, compares, writes to `output`, and returns the exit status:
 * 0 all equal, 1 a difference, 2 the check failed (`SyncError` code and message on `output.err`;
 * with `--json` also as `{"error":{…}}` on `output.out`).
 *
 * @example
 * const status = await runSyncVerify(['--kind', 'wallets', '--json'], process.env, output);
 */
export async function runSyncVerify(
  argv: readonly string[],
  env: EnvSource,
  output: SyncOutput,
  options: RunOptions = {},
): Promise<number> {
  const json = argv.includes('--json');
  try {
    const parsed = parseSyncArguments(argv);
    if (parsed.help) {
      output.out(USAGE);
      return EXIT_EQUAL;
    }
    // REPAIR: the place for --repair (see repair.ts). Today it stops here, before anything is read.
    if (parsed.repair) refuseRepair();
    const locations = locateSides(env, options.rootDir ?? findRepositoryRoot(__dirname));
    // While it waits, a line on standard error at the first retry and when the count changes.
    let told: string | undefined;
    const report = await verifySync(
      {
        kinds: parsed.kinds,
        waitMs: parsed.waitSeconds * 1000,
        intervalMs: options.intervalMs,
        onRetry: (found, remainingMs) => {
          const counts = found.kinds.map((kind) => kind.differences.length).join(',');
          if (counts !== told) output.err(formatRetry(found, remainingMs));
          told = counts;
        },
      },
      locations,
    );
    if (parsed.json) output.out(formatJson(report));
    else for (const line of formatReport(report)) output.out(line);
    return report.equal ? EXIT_EQUAL : EXIT_DIFFERENT;
  } catch (error) {
    if (!(error instanceof SyncError)) {
      output.err(`error: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}`);
      return EXIT_FAILED;
    }
    output.err(`error ${error.code}: ${error.message}`);
    if (error.code === 'SYNC_OPTIONS_INVALID') output.err(`\n${USAGE}`);
    if (json) output.out(formatJsonError(error));
    return EXIT_FAILED;
  }
}

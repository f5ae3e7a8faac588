import { findRepositoryRoot } from '../../stack/src/repository-root';
import { DEFAULT_PREFIX, DEFAULT_REDIS_URL } from '@app/redis-streams';
import { type RepairPlan, planRepair, sendRepair } from './repair';
import { formatJson, formatJsonError, formatRepair, formatReport, formatRetry } from './report-format';
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
    const locations = locateSides(env, options.rootDir ?? findRepositoryRoot(__dirname));
    // While it waits, a line on standard error at the first retry and when the count changes.
    let told: string | undefined;
    const check = (waitMs: number) =>
      verifySync(
        {
          kinds: parsed.kinds,
          waitMs,
          intervalMs: options.intervalMs,
          onRetry: (found, remainingMs) => {
            const counts = found.kinds.map((kind) => kind.differences.length).join(',');
            if (counts !== told) output.err(formatRetry(found, remainingMs));
            told = counts;
          },
        },
        locations,
      );
    let report = await check(parsed.repair ? 0 : parsed.waitSeconds * 1000);
    let repair: RepairPlan | undefined;
    if (parsed.repair && !report.equal) {
      repair = planRepair(report);
      await sendRepair(repair.requests, {
        url: env.REDIS_URL?.trim() || DEFAULT_REDIS_URL,
        prefix: env.REDIS_PREFIX || DEFAULT_PREFIX,
      });
      if (!parsed.json) for (const line of formatRepair(repair)) output.out(line);
      // What cannot be resent will not settle by waiting: check once more, then report it.
      report = await check(repair.requests.length > 0 ? parsed.waitSeconds * 1000 : 0);
    }
    if (parsed.json) output.out(formatJson(report, repair));
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

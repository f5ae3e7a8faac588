import { execFile } from 'node:child_process';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import { setTimeout as sleep } from 'node:timers/promises';
import { type BenchStack, REPO_ROOT, databaseEnv } from './bench-stack';
import type { WriteTally } from './protocol';
import { type Ledger, type Shop, readHoldings } from './shop';

const SYNC_VERIFY = join(REPO_ROOT, 'dist/tools/sync/src/main.js');
/** Pause before asking again when sync:verify was clean but a 2xx answer was not reflected yet. */
const RECHECK_MS = 100;

interface SyncVerifyRun {
  readonly status: number;
  readonly differences: number;
  readonly checks: number;
}

/** `node dist/tools/sync/src/main.js --wait <s> --json` on the stack's databases: its exit status and last JSON line. */
function syncVerify(dataDir: string, waitS: number): Promise<SyncVerifyRun> {
  const env = { ...process.env, ...databaseEnv(dataDir) };
  const args = [SYNC_VERIFY, '--wait', String(waitS), '--json'];
  return new Promise((resolve, reject) => {
    execFile(process.execPath, args, { cwd: REPO_ROOT, env, maxBuffer: 64 << 20 }, (error, stdout, stderr) => {
      const status = error ? (typeof error.code === 'number' ? error.code : -1) : 0;
      const last = stdout.trim().split('\n').at(-1) ?? '';
      if (status === 0 || status === 1) {
        try {
          const report = JSON.parse(last) as { differences: unknown[]; checks?: number };
          return resolve({ status, differences: report.differences.length, checks: report.checks ?? 1 });
        } catch {
          // not JSON: fall through
        }
      }
      reject(new Error(`sync:verify failed (exit ${status}):\n${stdout}\n${stderr}`));
    });
  });
}

/** How long one sync:verify run takes on sides that already agree (node's start, one check): the floor of every figure. */
export async function timeSyncVerify(dataDir: string): Promise<number> {
  const started = performance.now();
  const verified = await syncVerify(dataDir, 1);
  if (verified.status !== 0)
    throw new Error(`sync:verify found ${verified.differences} difference(s) on settled sides`);
  return performance.now() - started;
}

export interface Convergence {
  /** When every side was equal and reflected every 2xx answer (`performance.now()` ms), or undefined if not within the time. */
  readonly at: number | undefined;
  /** How many times sync:verify ran, and how many checks it made in all. */
  readonly verifyRuns: number;
  readonly checks: number;
  /** Times sync:verify found every side equal but a 2xx answer was not reflected yet (or a 5xx one was, unexpectedly). */
  readonly unreflected: number;
}

/** The writes of a load, once it has stopped. */
export interface Writes {
  readonly deposits: WriteTally;
  readonly stock: WriteTally;
}

/**
 * Waits until the sides have converged: sync:verify exits 0 (every shared aggregate equal on every
 * side; it checks every 250 ms until then) and the values are those of every write answered 2xx
 * (the load has stopped: `writes` resolves with its tallies). Converged is when sync:verify
 * returned clean for the check that also passed the tallies.
 */
export async function waitForConvergence(
  stack: BenchStack,
  shop: Shop,
  ledger: Ledger,
  dataDir: string,
  writes: Promise<Writes>,
  deadline: number,
): Promise<Convergence> {
  let verifyRuns = 0;
  let checks = 0;
  let unreflected = 0;
  for (;;) {
    const leftS = Math.ceil((deadline - performance.now()) / 1000);
    if (leftS <= 0) return { at: undefined, verifyRuns, checks, unreflected };
    const verified = await syncVerify(dataDir, leftS);
    const at = performance.now();
    verifyRuns++;
    checks += verified.checks;
    if (verified.status !== 0) return { at: undefined, verifyRuns, checks, unreflected };
    const { deposits, stock } = await writes;
    const holdings = await readHoldings(stack, shop);
    if (holdings && ledger.settle(holdings, deposits, stock)) return { at, verifyRuns, checks, unreflected };
    unreflected++;
    await sleep(RECHECK_MS);
  }
}

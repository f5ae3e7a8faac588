import { execFile } from 'node:child_process';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import { setTimeout as sleep } from 'node:timers/promises';
import { type BenchStack, REPO_ROOT, databaseEnv } from '../../convergence/src/bench-stack';

/** The processes behind the facade that keep data, by their port's name in `BenchStack` and the launcher's name. */
export const SERVICES = [
  { port: 'legacy', process: 'legacy-monolith' },
  { port: 'catalog', process: 'catalog' },
  { port: 'inventory', process: 'inventory' },
  { port: 'payments', process: 'payments' },
  { port: 'orders', process: 'orders' },
] as const;

const SYNC_VERIFY = join(REPO_ROOT, 'dist/tools/sync/src/main.js');
const POLL_MS = 100;

/** `BenchStack.url` is typed with the ports bench:convergence uses; it holds every process's. */
export const serviceUrl = (stack: BenchStack, port: (typeof SERVICES)[number]['port']) =>
  stack.url(port as Parameters<BenchStack['url']>[0]);

interface Indicator {
  readonly status?: string;
  readonly streams?: readonly { readonly stream: string; readonly pending: number; readonly lag: number | null }[];
  readonly gaps?: { readonly parked?: number };
  readonly unpublished?: number;
  readonly inFlight?: number;
}

/** What keeps a service from being idle, from its `/health/ready` (empty: idle). */
async function busyWith(url: string): Promise<string[]> {
  let body: { details?: Record<string, Indicator> };
  let status: number;
  try {
    const response = await fetch(`${url}/health/ready`, { signal: AbortSignal.timeout(5_000) });
    status = response.status;
    body = (await response.json()) as typeof body;
  } catch (error) {
    return [`no readiness answer (${error instanceof Error ? error.message : String(error)})`];
  }
  const details = body.details ?? {};
  const events = details.events;
  const busy = [
    ...(status === 200 ? [] : [`readiness ${status}`]),
    ...(events?.streams ?? [])
      .filter((s) => s.pending > 0 || (s.lag ?? 0) > 0)
      .map((s) => `${s.stream}: ${s.pending} pending, lag ${s.lag}`),
    ...((events?.gaps?.parked ?? 0) > 0 ? [`${events?.gaps?.parked} event(s) parked`] : []),
    ...((details.outbox?.unpublished ?? 0) > 0 ? [`${details.outbox?.unpublished} event(s) unpublished`] : []),
    ...((details.sagas?.inFlight ?? 0) > 0 ? [`${details.sagas?.inFlight} saga(s) under way`] : []),
  ];
  if (!events?.streams) busy.push('no event consumer in its readiness');
  return busy;
}

/**
 * Waits until every service is ready and idle twice in a row: its event consumers have nothing
 * pending nor left to read, nothing parked, its outbox has published everything and no saga is
 * under way. Resolves with how long that took (ms); fails, naming what was still busy, after
 * `timeoutS`.
 */
export async function waitSettled(stack: BenchStack, timeoutS: number): Promise<number> {
  const started = performance.now();
  let idleChecks = 0;
  for (;;) {
    const busy = (
      await Promise.all(
        SERVICES.map(async (service) =>
          (await busyWith(serviceUrl(stack, service.port))).map((what) => `${service.process}: ${what}`),
        ),
      )
    ).flat();
    idleChecks = busy.length === 0 ? idleChecks + 1 : 0;
    if (idleChecks === 2) return performance.now() - started;
    if (performance.now() - started > timeoutS * 1000) {
      throw new Error(`The services were not idle within ${timeoutS} s:\n  ${busy.join('\n  ')}`);
    }
    await sleep(POLL_MS);
  }
}

export interface SyncCheck {
  /** sync:verify's exit status: 0 every shared aggregate equal on every side, 1 differences, 2 the check failed. */
  readonly status: number;
  readonly equal: boolean;
  readonly differences: number | null;
}

/** `node dist/tools/sync/src/main.js --wait <s> --json` on the stack's databases (`npm run sync:verify`). */
export function syncVerify(dataDir: string, waitS: number): Promise<SyncCheck> {
  const env = { ...process.env, ...databaseEnv(dataDir) };
  const args = [SYNC_VERIFY, '--wait', String(waitS), '--json'];
  return new Promise((resolve) => {
    execFile(process.execPath, args, { cwd: REPO_ROOT, env, maxBuffer: 64 << 20 }, (error, stdout) => {
      const status = error ? (typeof error.code === 'number' ? error.code : -1) : 0;
      let differences: number | null = null;
      try {
        const report = JSON.parse(stdout.trim().split('\n').at(-1) ?? '') as { differences?: unknown[] };
        differences = report.differences?.length ?? null;
      } catch {
        // Not JSON: the status says enough.
      }
      resolve({ status, equal: status === 0, differences });
    });
  });
}

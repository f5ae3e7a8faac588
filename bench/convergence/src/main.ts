import { execFileSync } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import { setTimeout as sleep } from 'node:timers/promises';
import { freePort } from '../../../tools/testing/free-port';
import { ForkedProcess } from '../../common/src/forked-process';
import { describeMachine } from '../../common/src/machine';
import { runBenchmark } from '../../common/src/run';
import { BenchStack, STAGE_3_RULES, type StackSettings } from './bench-stack';
import { type BenchConfig, type Fault, loadConfig } from './config';
import { type Writes, timeSyncVerify, waitForConvergence } from './converge';
import { applyFault } from './faults';
import type { Command, LoadResult, Reply, WriteTally } from './protocol';
import { type FaultRound, type RoundSummary, buildReport, formatTable, seconds } from './report';
import { Ledger, type Shop, createShop, logIn, readHoldings } from './shop';

const log = (line: string) => process.stderr.write(`${line}\n`);
/** How long the stack may take to start (every process ready, the backfill done). */
const STACK_READY_TIMEOUT_MS = 180_000;

const noWrites = (): WriteTally => ({ applied: {}, uncertainUp: {}, uncertainDown: {}, uncertain: 0 });
const NO_WRITES: Writes = { deposits: noWrites(), stock: noWrites() };

/** Faults in a different order each round, so that what one leaves behind does not always meet the same next one. */
function rotated<T>(items: readonly T[], by: number): T[] {
  const shift = by % items.length;
  return [...items.slice(shift), ...items.slice(0, shift)];
}

function redisVersion(): string {
  try {
    const text = execFileSync('redis-server', ['--version'], { encoding: 'utf8' });
    return /v=(\S+)/.exec(text)?.[1] ?? 'unknown';
  } catch {
    return 'unknown';
  }
}

class LoadProcess extends ForkedProcess<Command, Reply> {
  constructor() {
    super('load', join(__dirname, 'load-worker.js'), {});
  }

  async end(): Promise<LoadResult> {
    const reply = await this.ask({ type: 'end' });
    if (reply.type !== 'result') throw new Error(`load: ${reply.type} instead of its result`);
    const { type: _type, ...result } = reply;
    return result;
  }
}

/** Waits until the sides agree and reflect `writes`; fails the run if they do not within the time. */
async function settle(stack: BenchStack, shop: Shop, ledger: Ledger, config: BenchConfig, dataDir: string) {
  const deadline = performance.now() + config.convergeTimeoutS * 1000;
  const settled = await waitForConvergence(stack, shop, ledger, dataDir, Promise.resolve(NO_WRITES), deadline);
  if (settled.at === undefined) {
    throw new Error(`The sides did not agree within ${config.convergeTimeoutS} s with no load and no fault`);
  }
}

/** One fault under load: the load runs, the fault, the load stops at its end, then the time to converged. */
async function measureFault(
  round: number,
  fault: Fault,
  context: { stack: BenchStack; shop: Shop; ledger: Ledger; load: LoadProcess; config: BenchConfig; dataDir: string },
): Promise<FaultRound> {
  const { stack, shop, ledger, load, config, dataDir } = context;
  await load.ask({
    type: 'begin',
    baseUrl: stack.facadeUrl,
    adminToken: shop.adminToken,
    customers: shop.customers,
    products: shop.products,
    rate: config.rate,
    maxInFlight: config.maxInFlight,
  });
  await sleep(config.loadSeconds * 1000);
  await load.ask({ type: 'mark' });
  const times = await applyFault(stack, fault, dataDir, config.faultTimeoutS * 1000);
  const ended = load.end();
  const converged = await waitForConvergence(
    stack,
    shop,
    ledger,
    dataDir,
    ended,
    times.endedAt + config.convergeTimeoutS * 1000,
  );
  const { deposits, stock, ...result } = await ended;
  if (converged.at === undefined) {
    // The next fault must start from what the sides hold now, or it could never match.
    log(`  ${fault} did not converge within ${config.convergeTimeoutS} s; taking what the monolith holds as the start`);
    const holdings = await readHoldings(stack, shop);
    if (holdings) ledger.rebase(holdings);
  }
  return {
    round,
    fault,
    outageS: seconds(times.endedAt - times.startedAt),
    convergedS: converged.at === undefined ? null : seconds(converged.at - times.endedAt),
    verifyRuns: converged.verifyRuns,
    checks: converged.checks,
    unreflected: converged.unreflected,
    load: { ...result, uncertainWrites: deposits.uncertain + stock.uncertain },
  };
}

async function main(): Promise<void> {
  const started = performance.now();
  const config = loadConfig();
  const loadAtStart = loadavg()[0] ?? Number.NaN;
  const dataDir = mkdtempSync(join(tmpdir(), 'ficus-bench-convergence-'));
  const settings: StackSettings = {
    dataDir,
    // Nothing listens there: the launcher starts a redis-server of its own, with an append-only file.
    redisUrl: `redis://127.0.0.1:${await freePort()}`,
    redisPrefix: `ficus-bench:${Date.now().toString(36)}-${randomBytes(4).toString('hex')}:`,
    adminToken: randomBytes(24).toString('hex'),
    jwtSecret: randomBytes(32).toString('hex'),
    logLevel: config.logLevel,
    verbose: config.verbose,
  };
  log(
    `data in ${dataDir}; Redis at ${settings.redisUrl}; faults ${config.faults.join(', ')}; ${config.rounds} round(s)`,
  );
  const load = new LoadProcess();
  let stack: BenchStack | undefined;
  let cleaning: Promise<void> | undefined;
  const cleanUp = () =>
    (cleaning ??= (async () => {
      await stack?.stop().catch(() => undefined);
      await load.stop({ type: 'stop' });
      rmSync(dataDir, { recursive: true, force: true });
    })());
  process.once('SIGINT', () => void cleanUp().then(() => process.exit(130)));
  try {
    await load.started();
    const faultRounds: FaultRound[] = [];
    const rounds: RoundSummary[] = [];
    let shop: Shop | undefined;
    let ledger: Ledger | undefined;
    for (let r = 0; r < config.rounds; r++) {
      log(`round ${r + 1} of ${config.rounds}: starting the stack`);
      const stackStarted = performance.now();
      stack = await BenchStack.start(settings, STACK_READY_TIMEOUT_MS);
      const stackStartS = seconds(performance.now() - stackStarted);
      if (!shop || !ledger) {
        await stack.applyRules(STAGE_3_RULES, 'convergence benchmark: migration stage 3');
        shop = await createShop(stack, config.customers, config.products);
        ledger = Ledger.initial(shop);
      }
      await settle(stack, shop, ledger, config, dataDir);
      const syncVerifyS = seconds(await timeSyncVerify(dataDir));
      for (const fault of rotated(config.faults, r)) {
        // Tokens last 15 minutes: new ones for every fault, however long the load runs.
        await logIn(stack, shop);
        const result = await measureFault(r + 1, fault, { stack, shop, ledger, load, config, dataDir });
        faultRounds.push(result);
        log(
          `  ${fault}: converged ${result.convergedS ?? 'no'} s after its end (outage ${result.outageS} s); ` +
            `load ${Math.round(result.load.steady.okPerSecond)} 2xx/s before it, ${result.load.serverErrors} 5xx, ` +
            `${result.load.errors} without answer, ${result.load.skipped} skipped`,
        );
        await sleep(config.pauseSeconds * 1000);
      }
      rounds.push({ round: r + 1, stackStartS, syncVerifyS, deadLetters: await stack.deadLetters() });
      await stack.stop();
      stack = undefined;
    }
    const machine = {
      ...describeMachine(),
      redis: redisVersion(),
      loadAverage: { start: loadAtStart, end: loadavg()[0] ?? Number.NaN },
    };
    const report = buildReport(machine, config, faultRounds, rounds, (performance.now() - started) / 1000);
    process.stdout.write(`${formatTable(report)}\n${JSON.stringify(report)}\n`);
  } catch (error) {
    if (stack) log(`the last lines of the stack's processes:\n${stack.outputTail.join('\n')}`);
    throw error;
  } finally {
    await cleanUp();
  }
}

runBenchmark(main);

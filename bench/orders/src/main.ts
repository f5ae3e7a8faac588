import { randomBytes } from 'node:crypto';
import { runWithTeardown } from '../../common/src/run';
import { mkdtemp, rm } from 'node:fs/promises';
import { loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import { redisVersion, runConnection } from '../../catalog/src/redis';
import { Teardown } from '../../catalog/src/teardown';
import { describeMachine } from '../../common/src/machine';
import { round } from '../../common/src/stats';
import { BenchStack, DATABASES } from '../../convergence/src/bench-stack';
import { logIn } from '../../convergence/src/shop';
import { STAGES, SettingsError, loadConfig } from './config';
import { buildReport, formatTable } from './report';
import { LoadProcess, measureRounds } from './rounds';
import { syncVerify, waitSettled } from './settle';
import { seedShop } from './shop';

const log = (line: string) => process.stderr.write(`${line}\n`);
const seconds = (ms: number) => round(ms / 1000, 1);
/** How long sync:verify may wait for the sides to agree, once they are idle. */
const SYNC_WAIT_S = 30;

const teardown = new Teardown();

async function main(): Promise<void> {
  const started = performance.now();
  const config = loadConfig();
  const machine = describeMachine();
  const loadAtStart = loadavg()[0] ?? Number.NaN;

  const redis = await runConnection(config.redisUrl, config.prefix, teardown, log);
  const dataDir = await mkdtemp(join(tmpdir(), 'ficus-bench-orders-'));
  teardown.add('remove the temp dir', () => rm(dataDir, { recursive: true, force: true }));
  log(`data in ${dataDir}; Redis at ${config.redisUrl}, prefix ${config.prefix}`);

  const load = new LoadProcess();
  teardown.add('stop the load generator', () => load.stop());
  await load.started();

  let mark = performance.now();
  const lap = () => {
    const now = performance.now();
    const ms = now - mark;
    mark = now;
    return ms;
  };
  log('starting the stack (the launcher of npm start)');
  const starting = BenchStack.start(
    {
      dataDir,
      redisUrl: config.redisUrl,
      redisPrefix: config.prefix,
      adminToken: randomBytes(24).toString('hex'),
      jwtSecret: randomBytes(32).toString('hex'),
      logLevel: config.logLevel,
      verbose: config.verbose,
    },
    config.readyTimeoutS * 1000,
  );
  teardown.add('stop the stack', async () => (await starting.catch(() => undefined))?.stop());
  const stack = await starting;
  try {
    const stackStartMs = lap();
    // Stage 3, as the migration has it before orders move: customers on the monolith, deposits on
    // payments, products on catalog, stock on inventory; orders on the monolith.
    await stack.applyRules(STAGES.monolith.file, 'orders benchmark: stage 3');
    log(`seeding: ${config.customers} customers with deposits, ${config.products} products with stock`);
    const shop = await seedShop(stack, config.customers, config.products);
    const seedMs = lap();
    const seedSettleMs = await waitSettled(stack, config.settleTimeoutS);
    const afterSeed = await syncVerify(dataDir, SYNC_WAIT_S);
    log(
      `seeded in ${seconds(seedMs)} s, applied everywhere ${seconds(seedSettleMs)} s later; sync:verify ${afterSeed.equal ? 'equal' : `exit ${afterSeed.status}`}`,
    );
    await logIn(stack, shop);

    const measured = await measureRounds({
      config,
      stack,
      shop,
      load,
      stage: 'monolith',
      cpu: { stack, loadPid: load.pid, redis },
    });

    const atEnd = await syncVerify(dataDir, SYNC_WAIT_S);
    let deadLetters = 0;
    for (const name of DATABASES) deadLetters += await redis.xLen(`${config.prefix}dlq:${name}`);
    log(
      `sync:verify at the end: ${atEnd.equal ? 'equal' : `exit ${atEnd.status}, ${atEnd.differences} difference(s)`}; ${deadLetters} dead letter(s)`,
    );

    const report = buildReport({
      machine: {
        ...machine,
        redis: await redisVersion(redis),
        loadAverage: { start: loadAtStart, end: loadavg()[0] ?? Number.NaN },
      },
      config,
      setup: {
        stackStartS: seconds(stackStartMs),
        seedS: seconds(seedMs),
        seedAppliedS: seconds(seedSettleMs),
      },
      measured,
      syncVerify: { afterSeed, atEnd },
      deadLetters,
      durationS: (performance.now() - started) / 1000,
    });
    log(formatTable(report));
    process.stdout.write(`${JSON.stringify(report)}\n`);
  } catch (error) {
    log(`the last lines of the stack's processes:\n${stack.outputTail.join('\n')}`);
    throw error;
  }
}

runWithTeardown(main, teardown, (error) => error instanceof SettingsError);

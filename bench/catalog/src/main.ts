import { existsSync } from 'node:fs';
import { runWithTeardown } from '../../common/src/run';
import { loadavg } from 'node:os';
import { performance } from 'node:perf_hooks';
import { setTimeout as sleep } from 'node:timers/promises';
import { loadConfig } from './config';
import { summarizeConsistency } from './consistency-report';
import {
  type ConsistencySetup,
  type PositionsCarried,
  positionsCarried,
  prepareConsistency,
} from './consistency-setup';
import { CONSISTENCY_WINDOW_MS, PLANES, type Plane, SIDES } from './facade-rules';
import { ForkedWorker } from './forked-worker';
import { measureHttp } from './http-phase';
import { measureLag } from './lag-phase';
import { checkParity } from './parity';
import { redisVersion, runConnection } from './redis';
import { buildReport, formatTable } from './report';
import { requestPaths } from './requests';
import { BenchStack, listProducts, profileFile } from './stack';
import { StockFeeder } from './stock-feeder';
import { Teardown } from './teardown';
import { describeMachine } from '../../common/src/machine';

const log = (line: string) => process.stderr.write(`${line}\n`);

const teardown = new Teardown();

/** Waits (a while) for a profile to be written; its path, or why not. */
async function written(file: string | undefined): Promise<string> {
  for (let i = 0; i < 100 && file !== undefined; i++) {
    if (existsSync(file)) {
      await sleep(500);
      return file;
    }
    await sleep(100);
  }
  return `${file} was not written`;
}

function logConsistencySetup(setup: ConsistencySetup, positions: PositionsCarried): void {
  log(
    `consistency: ${setup.writes} writes in ${Math.round(setup.writeMs)} ms, applied by the catalog ${Math.round(setup.appliedMs)} ms later; ` +
      `${setup.checked} requests compared through both variants, ${setup.mismatches} differed, ${setup.stale} stale`,
  );
  for (const example of setup.examples) log(`  ${example.path}\n    off ${example.off}\n    on  ${example.on}`);
  log(
    `consistency: byId reads of ${positions.byId.carrying} of ${positions.byId.ids} ids carry ${positions.byId.positionsPerCarryingRead ?? 0} position(s), ` +
      `every search read ${positions.search.positionsPerRead ?? 0}` +
      `; the facade kept the positions of ${positions.recorded} write(s), and answered ${positions.fromMemory} of these ${positions.byId.ids + 1} reads from memory` +
      (positions.recorded === 0 ? " (the monolith reported no positions: only the facade's half is measured)" : ''),
  );
}

async function main(): Promise<void> {
  const started = performance.now();
  const config = loadConfig();
  const machine = describeMachine();
  const loadAtStart = loadavg()[0] ?? Number.NaN;
  const redis = await runConnection(config.redisUrl, config.prefix, teardown, log);
  const version = await redisVersion(redis);
  log(`prefix ${config.prefix}`);

  const stack = await BenchStack.start(config, teardown);
  const { monolith, catalog } = stack;
  log(`monolith ${monolith.url}, catalog ${catalog.url}; temp dir ${stack.dir}`);
  const products = await listProducts(monolith.url);
  const paths = requestPaths(products);

  const facadeProfile = await profileFile(config, 'facade');
  const facade = new ForkedWorker('facade', 'facade-worker.js', {
    legacyUrl: monolith.url,
    catalogUrl: catalog.url,
    redisUrl: config.redisUrl,
    prefix: config.prefix,
    cpuProfileFile: facadeProfile,
  });
  teardown.add('stop the facade', () => facade.stop());
  const facadeReady = await facade.started();
  const facadeUrls = Object.fromEntries(
    PLANES.map((plane) => [plane, `http://127.0.0.1:${facadeReady.ports?.[plane] ?? 0}`]),
  ) as Record<Plane, string>;
  const load = new ForkedWorker('load', 'load-worker.js', {});
  teardown.add('stop the load generator', () => load.stop());
  const loadGenerator = (await load.started()).detail ?? 'unknown';

  const parity = await checkParity(facadeUrls, paths);
  log(`parity: ${parity.checked} requests compared through both sides, ${parity.mismatches} differed`);
  for (const example of parity.examples)
    log(`  ${example.path}\n    monolith ${example.monolith}\n    catalog  ${example.catalog}`);

  const consistencySetup = config.comparisons.includes('consistency')
    ? await prepareConsistency({ config, facadeUrls, monolith, catalog, products, searchPaths: paths.search })
    : undefined;
  const positionsBefore = consistencySetup ? await positionsCarried(facade, products) : undefined;
  if (consistencySetup && positionsBefore) logConsistencySetup(consistencySetup, positionsBefore);

  log(
    `HTTP: ${config.warmupRounds} warm-up round(s) of ${config.warmupSeconds} s, ${config.rounds} rounds of ` +
      `${config.roundSeconds} s per kind and side (${config.comparisons.join(', ')}), ${config.connections} connections`,
  );
  const profiled = SIDES.filter((side) => stack.profileFiles[side] !== undefined);
  for (const side of profiled) stack[side].signal('SIGUSR2');
  if (facadeProfile) facade.signal('SIGUSR2');
  const measured = await measureHttp({
    config,
    load,
    facade,
    facadeUrls,
    services: { monolith, catalog },
    paths,
    redis,
  });
  for (const side of profiled) stack[side].signal('SIGUSR2');
  if (facadeProfile) facade.signal('SIGUSR2');
  for (const side of profiled)
    log(`CPU profile of the ${side} (HTTP rounds): ${await written(stack.profileFiles[side])}`);
  if (facadeProfile) log(`CPU profile of the facade (HTTP rounds): ${await written(facadeProfile)}`);
  const consistency =
    consistencySetup && positionsBefore
      ? summarizeConsistency({
          config,
          setup: consistencySetup,
          windowMs: CONSISTENCY_WINDOW_MS,
          positions: { before: positionsBefore, after: await positionsCarried(facade, products) },
          results: measured.consistency,
        })
      : null;
  await facade.stop();
  await load.stop();

  if (!config.lagWithMonolith) {
    log('lag: the monolith is stopped first (BENCH_LAG_WITH_MONOLITH=true keeps it applying the same events)');
    await monolith.stop();
  }
  const feeder = new StockFeeder(config.redisUrl, config.prefix, await listProducts(catalog.url));
  await feeder.connect();
  teardown.add('close the stock feeder', async () => feeder.close());
  log(`lag: ${config.lagRounds} rounds of ${config.lagSeconds} s at ${config.lagRate} stock events/s`);
  const lag = await measureLag(config, catalog, stack.catalogDatabase, feeder);
  const deadLetters = await feeder.deadLetters(config.prefix, 'catalog');

  const report = buildReport({
    machine,
    redis: version,
    config,
    timings: stack.timings,
    products: products.length,
    parity,
    http: measured.http,
    consistency,
    lag,
    deadLetters,
    facade: facadeReady.detail ?? '',
    loadGenerator,
    loadAverage: { start: loadAtStart, end: loadavg()[0] ?? Number.NaN },
    durationS: (performance.now() - started) / 1000,
  });
  process.stdout.write(`${formatTable(report)}\n${JSON.stringify(report)}\n`);
}

runWithTeardown(main, teardown);

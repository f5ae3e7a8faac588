import { performance } from 'node:perf_hooks';
import { BenchApp } from './bench-app';
import { type BenchConfig, type DatabaseKind, loadConfig } from './config';
import { createDatabase } from './databases';
import { type RunContext, measurePaced, measureThroughput } from './measure';
import { ReaderProcess } from './reader-process';
import { adminConnection, deleteKeys, redisVersion } from './redis';
import { type DatabaseResults, buildReport, formatTable } from './report';
import { type Way, directWay, outboxWay } from './ways';
import { describeMachine } from '../../common/src/machine';

const log = (line: string) => process.stderr.write(`${line}\n`);

/** The ways in a different order each round, so that drift on a shared machine hits both alike. */
function rotated<T>(items: readonly T[], by: number): T[] {
  const shift = by % items.length;
  return [...items.slice(shift), ...items.slice(0, shift)];
}

const f = (value: number, digits = 2) => value.toFixed(digits);

/** Every run of one database: warm-up, then per round the paced runs and the throughput runs of both ways. */
async function benchDatabase(context: RunContext, kind: DatabaseKind): Promise<DatabaseResults> {
  const { app, config } = context;
  const ways: Way[] = [outboxWay(app), directWay(app)];
  const results: DatabaseResults = {
    detail: app.database.detail,
    poolSize: app.poolSize,
    ways: { outbox: { paced: [], throughput: [] }, direct: { paced: [], throughput: [] } },
  };
  for (let r = 0; r < config.warmupRounds; r++) {
    for (const way of rotated(ways, r)) {
      const result = await measureThroughput(context, way, config.warmupEvents);
      log(`${kind} warm-up ${way.name}: ${Math.round(result.eventsPerSec)} events/s`);
    }
  }
  for (let r = 0; r < config.rounds; r++) {
    const order = rotated(ways, r);
    for (const way of order) {
      const result = await measurePaced(context, way);
      results.ways[way.name].paced.push(result);
      log(
        `${kind} round ${r + 1} paced      ${way.name.padEnd(6)}: ${Math.round(result.rate)}/s, p50 ${f(result.p50Ms)} ms, p99 ${f(result.p99Ms)} ms, max ${f(result.maxMs)} ms`,
      );
    }
    for (const way of order) {
      const result = await measureThroughput(context, way, config.throughputEvents);
      results.ways[way.name].throughput.push(result);
      log(
        `${kind} round ${r + 1} throughput ${way.name.padEnd(6)}: ${Math.round(result.eventsPerSec)} events/s (commits ${Math.round(result.commitsPerSec)}/s, drained ${f(result.drainMs)} ms after the last)`,
      );
    }
  }
  return results;
}

async function runDatabase(
  kind: DatabaseKind,
  config: BenchConfig,
  shared: Omit<RunContext, 'app'>,
): Promise<{ results: DatabaseResults; outboxSettings: Record<string, unknown> }> {
  const database = await createDatabase(kind, config.postgresAdminUrl);
  log(`${kind}: ${database.detail}`);
  try {
    const app = await BenchApp.start(database, config);
    try {
      const { batchSize, pollIntervalMs, publishTimeoutMs } = app.options;
      const results = await benchDatabase({ ...shared, app }, kind);
      return { results, outboxSettings: { batchSize, pollIntervalMs, publishTimeoutMs, poolSize: app.poolSize } };
    } finally {
      await app.close();
    }
  } finally {
    await database.drop();
  }
}

async function main(): Promise<void> {
  const started = performance.now();
  const config = loadConfig();
  const redis = adminConnection(config.redisUrl);
  await redis.connect();
  const reader = new ReaderProcess(config.redisUrl);
  log(`prefix ${config.prefix}; databases ${config.databases.join(', ')}`);
  try {
    await reader.started();
    const machine = describeMachine();
    const version = await redisVersion(redis);
    const results: Partial<Record<DatabaseKind, DatabaseResults>> = {};
    const outboxSettings: Record<string, unknown> = {};
    for (const kind of config.databases) {
      const done = await runDatabase(kind, config, { reader, redis, config });
      results[kind] = done.results;
      outboxSettings[kind] = done.outboxSettings;
    }
    const report = buildReport({
      machine,
      redis: version,
      config,
      results,
      outboxSettings,
      durationS: (performance.now() - started) / 1000,
    });
    process.stdout.write(`${formatTable(report, config.databases)}\n${JSON.stringify(report)}\n`);
  } finally {
    reader.stop();
    const deleted = await deleteKeys(redis, config.prefix);
    log(`deleted ${deleted} key(s) under ${config.prefix}`);
    await redis.close();
  }
}

main().then(
  () => process.exit(0),
  (error: unknown) => {
    log(error instanceof Error ? (error.stack ?? error.message) : String(error));
    process.exit(1);
  },
);

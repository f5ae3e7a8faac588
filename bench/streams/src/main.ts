import { performance } from 'node:perf_hooks';
import { setTimeout as sleep } from 'node:timers/promises';
import { type BenchConfig, loadConfig } from './config';
import { CONTENDERS } from './contenders';
import { describeMachine } from './machine';
import { type Connection, redisConnection } from './redis';
import { type EventsResults, type RequestsResults, buildReport, formatTable } from './report';
import { ContenderProcess } from './workers';

const log = (line: string) => process.stderr.write(`${line}\n`);

/** Contenders in a different order each round, so that drift on a shared machine hits all alike. */
function rotated<T>(items: readonly T[], by: number): T[] {
  const shift = by % items.length;
  return [...items.slice(shift), ...items.slice(0, shift)];
}

const roundName = (r: number, config: BenchConfig) =>
  r < config.warmupRounds ? 'warm-up' : `round ${r - config.warmupRounds + 1}`;

async function measureEvents(contenders: readonly ContenderProcess[], config: BenchConfig): Promise<EventsResults> {
  const results: EventsResults = Object.fromEntries(contenders.map((c) => [c.name, []]));
  for (let r = 0; r < config.warmupRounds + config.rounds; r++) {
    for (const contender of rotated(contenders, r)) {
      const { ms } = await contender.run({ type: 'events', count: config.eventsPerRound });
      const rate = (config.eventsPerRound / ms) * 1000;
      if (r >= config.warmupRounds) results[contender.name]?.push(rate);
      log(`events   ${roundName(r, config)} ${contender.name}: ${Math.round(rate)}/s`);
      await sleep(200);
    }
  }
  return results;
}

async function measureRequests(contenders: readonly ContenderProcess[], config: BenchConfig): Promise<RequestsResults> {
  const results: RequestsResults = Object.fromEntries(contenders.map((c) => [c.name, []]));
  for (let r = 0; r < config.warmupRounds + config.rounds; r++) {
    for (const contender of rotated(contenders, r)) {
      const { ms, p50Ms, p99Ms } = await contender.run({
        type: 'requests',
        count: config.requestsPerRound,
        callers: config.callers,
      });
      const rps = (config.requestsPerRound / ms) * 1000;
      if (r >= config.warmupRounds) results[contender.name]?.push({ rps, p50Ms, p99Ms });
      log(
        `requests ${roundName(r, config)} ${contender.name}: ${Math.round(rps)}/s p50 ${p50Ms.toFixed(2)} ms p99 ${p99Ms.toFixed(2)} ms`,
      );
      await sleep(200);
    }
  }
  return results;
}

async function deleteKeys(redis: Connection, prefix: string): Promise<number> {
  let deleted = 0;
  for await (const keys of redis.scanIterator({ MATCH: `${prefix}*`, COUNT: 1000 })) {
    if (keys.length > 0) deleted += await redis.del(keys);
  }
  return deleted;
}

async function main(): Promise<void> {
  const started = performance.now();
  const config = loadConfig();
  const admin = redisConnection(config.redisUrl);
  await admin.connect();
  const machine = await describeMachine(admin);
  const names = CONTENDERS.filter((name) => config.only.length === 0 || config.only.includes(name));
  log(`prefix ${config.prefix}; contenders ${names.join(', ')}, each in a process of its own`);
  const contenders = names.map((name) => new ContenderProcess(name, config));
  try {
    await Promise.all(contenders.map((contender) => contender.started()));
    const events = await measureEvents(contenders, config);
    const requests = await measureRequests(contenders, config);
    const report = buildReport(machine, config, events, requests, (performance.now() - started) / 1000);
    process.stdout.write(`${formatTable(report)}\n${JSON.stringify(report)}\n`);
  } finally {
    await Promise.all(contenders.map((contender) => contender.stop()));
    const deleted = await deleteKeys(admin, config.prefix);
    log(`deleted ${deleted} key(s) under ${config.prefix}`);
    await admin.close();
  }
}

main().then(
  () => process.exit(0),
  (error: unknown) => {
    log(error instanceof Error ? (error.stack ?? error.message) : String(error));
    process.exit(1);
  },
);

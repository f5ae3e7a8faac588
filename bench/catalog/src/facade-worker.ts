import { Registry } from 'prom-client';
import { type RedisConnection, connectOrFail, createRedisConnection } from '@app/redis-streams';
import { type DataPlane, createDataPlane } from '../../../strangler/src/data-plane';
import { PositionsStore } from '../../../strangler/src/data-plane/consistency';
import { ActiveRules, CompiledRuleSet } from '../../../strangler/src/rules';
import { installCpuProfiler } from './cpu-profiler';
import { CONSISTENCY_TTL_MS, CONSISTENCY_WINDOW_MS, PLANES, type Plane, facadeRules } from './facade-rules';
import type { Command, FacadeArguments, PositionsQuery, Reply } from './protocol';
import { describeError } from './protocol';

/** `STRANGLER_MAX_BODY_BYTES`'s default (10 MiB). */
const MAX_BODY_BYTES = 10 * 1024 * 1024;

export const FACADE_DETAIL =
  'one process, four createDataPlane() instances (strangler/src/data-plane) with production defaults ' +
  '(routing headers on, trust proxy off, a prom-client Registry each): "monolith" with the starting rules ' +
  '(everything to legacy) and GET/HEAD /health/live → legacy (the data plane refuses internal paths no route names), "catalog" with GET/HEAD /api/products, /api/products/:productId and /health/live → catalog (live); ' +
  '"consistencyOff" the same plus POST /api/products/:productId/stock-adjustments → legacy; "consistencyOn" the same ' +
  "with the stage files' consistency keys (product:{productId}, product:* on the list) and a PositionsStore on the run's " +
  `Redis prefix (its own connection, as the facade's rule store opens it; window ${CONSISTENCY_WINDOW_MS} ms, ttl ${CONSISTENCY_TTL_MS} ms), ` +
  'started as the facade starts it (a copy of the positions in memory, kept in step by pub/sub, default lease and size)';

interface Facade {
  readonly ports: Record<Plane, number>;
  readonly planes: DataPlane[];
  readonly redis: RedisConnection;
  readonly positions: PositionsStore;
  /** The `consistencyOn` plane's metrics. */
  readonly metrics: Registry;
}

/** One data plane per side and variant, on ports of their own; only one is under load at a time. */
async function start(args: FacadeArguments): Promise<Facade> {
  const redis = createRedisConnection(
    { url: args.redisUrl, reconnectBaseDelayMs: 50, reconnectMaxDelayMs: 2_000 },
    'bench-facade',
  );
  redis.on('error', () => undefined);
  await connectOrFail(redis, args.redisUrl);
  const planes: DataPlane[] = [];
  const ports: Partial<Record<Plane, number>> = {};
  let positions: PositionsStore | undefined;
  let onMetrics: Registry | undefined;
  for (const plane of PLANES) {
    const metrics = new Registry();
    if (plane === 'consistencyOn') onMetrics = metrics;
    const consistency =
      plane === 'consistencyOn'
        ? (positions = new PositionsStore({
            redis,
            prefix: args.prefix,
            ttlMs: CONSISTENCY_TTL_MS,
            windowMs: CONSISTENCY_WINDOW_MS,
            metrics,
          }))
        : undefined;
    const dataPlane = createDataPlane({
      rules: new ActiveRules(new CompiledRuleSet(1, facadeRules(plane, args))),
      maxBodyBytes: MAX_BODY_BYTES,
      routingHeaders: true,
      trustProxy: false,
      metrics,
      consistency,
    });
    planes.push(dataPlane);
    ports[plane] = (await dataPlane.listen(0, '127.0.0.1')).port;
  }
  if (!positions || !onMetrics) throw new Error('the consistencyOn plane has no PositionsStore');
  // As the facade runs it: a copy in memory, trusted once loaded.
  await positions.start();
  await memoryTrusted(positions);
  return { ports: ports as Record<Plane, number>, planes, redis, positions, metrics: onMetrics };
}

/** The positions a request to the catalog naming each set of keys would carry now, read as the data plane reads them. */
async function countPositions(facade: Facade, query: PositionsQuery): Promise<Reply> {
  const counts: (number | null)[] = [];
  let fromMemory = 0;
  for (const keys of query.requests) {
    const known = facade.positions.readKnown(keys, 'catalog');
    if (known) fromMemory += 1;
    counts.push((known ?? (await facade.positions.read(keys, 'catalog')))?.positions.length ?? null);
  }
  const valuesOf = async (name: string) => (await facade.metrics.getSingleMetric(name)?.get())?.values ?? [];
  const reads = await valuesOf('strangler_consistency_reads_total');
  const total = (source: string) => reads.find((v) => v.labels.source === source)?.value ?? 0;
  const recorded = (await valuesOf('strangler_consistency_total'))
    .filter((v) => v.labels.step === 'record' && v.labels.outcome === 'ok')
    .reduce((sum, v) => sum + v.value, 0);
  return {
    type: 'positions',
    counts,
    recorded,
    fromMemory,
    reads: { memory: total('memory'), redis: total('redis') },
  };
}

/** Resolves once the store answers reads from memory. */
async function memoryTrusted(positions: PositionsStore, timeoutMs = 10_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!positions.memoryTrusted) {
    if (Date.now() > deadline) throw new Error(`the positions store's memory was not trusted within ${timeoutMs} ms`);
    await new Promise((resolve) => setTimeout(resolve, 10));
  }
}

async function stop(facade: Facade): Promise<void> {
  await Promise.all(facade.planes.map((plane) => plane.close()));
  await facade.positions.close();
  await facade.redis.close().catch(() => facade.redis.destroy());
}

/** The facade, in a process of its own so that it never shares an event loop with the load generator. */
function main(): void {
  const args = JSON.parse(process.argv[2] ?? '{}') as FacadeArguments;
  const send = (reply: Reply, then: () => void = () => undefined) => process.send?.(reply, then);
  if (args.cpuProfileFile) installCpuProfiler(args.cpuProfileFile);
  start(args).then(
    (facade) => {
      process.on('message', (command: Command) => {
        if (command.type === 'positions') {
          countPositions(facade, command).then(send, (error: unknown) =>
            send({ type: 'failed', error: describeError(error) }),
          );
          return;
        }
        if (command.type !== 'stop') return;
        stop(facade).then(
          () => send({ type: 'stopped' }, () => process.exit(0)),
          (error: unknown) => send({ type: 'failed', error: describeError(error) }, () => process.exit(1)),
        );
      });
      send({ type: 'ready', ports: facade.ports, detail: FACADE_DETAIL });
    },
    (error: unknown) => send({ type: 'failed', error: describeError(error) }, () => process.exit(1)),
  );
  // The coordinator is gone: do not linger.
  process.on('disconnect', () => process.exit(0));
  // Ctrl-C reaches the whole process group: the coordinator decides when this worker stops.
  process.on('SIGINT', () => undefined);
}

if (require.main === module) main();

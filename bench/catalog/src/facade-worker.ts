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
  `Redis prefix (its own connection, as the facade's rule store opens it; window ${CONSISTENCY_WINDOW_MS} ms, ttl ${CONSISTENCY_TTL_MS} ms)`;

interface Facade {
  readonly ports: Record<Plane, number>;
  readonly planes: DataPlane[];
  readonly redis: RedisConnection;
  readonly positions: PositionsStore;
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
  for (const plane of PLANES) {
    const metrics = new Registry();
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
  if (!positions) throw new Error('the consistencyOn plane has no PositionsStore');
  return { ports: ports as Record<Plane, number>, planes, redis, positions };
}

/** The positions a request to the catalog naming each set of keys would carry now, read as the data plane reads them. */
async function countPositions(facade: Facade, query: PositionsQuery): Promise<Reply> {
  const counts: (number | null)[] = [];
  for (const keys of query.requests) {
    counts.push((await facade.positions.read(keys, 'catalog'))?.positions.length ?? null);
  }
  return { type: 'positions', counts };
}

async function stop(facade: Facade): Promise<void> {
  await Promise.all(facade.planes.map((plane) => plane.close()));
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

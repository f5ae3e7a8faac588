import { Registry } from 'prom-client';
import { type DataPlane, createDataPlane } from '../../../strangler/src/data-plane';
import { ActiveRules, CompiledRuleSet } from '../../../strangler/src/rules';
import { SIDES, type Side, facadeRules } from './facade-rules';
import type { Command, FacadeArguments, Reply } from './protocol';
import { describeError } from './protocol';

/** `STRANGLER_MAX_BODY_BYTES`'s default (10 MiB). */
const MAX_BODY_BYTES = 10 * 1024 * 1024;

export const FACADE_DETAIL =
  'one process, two createDataPlane() instances (strangler/src/data-plane) with production defaults ' +
  '(routing headers on, trust proxy off, a prom-client Registry each): "monolith" with the starting rules ' +
  '(everything to legacy), "catalog" with GET/HEAD /api/products, /api/products/:productId and /health/live → catalog (live)';

/** One data plane per side, on ports of their own; only one is under load at a time. */
async function start(args: FacadeArguments): Promise<{ ports: Record<Side, number>; planes: DataPlane[] }> {
  const planes: DataPlane[] = [];
  const ports: Partial<Record<Side, number>> = {};
  for (const side of SIDES) {
    const plane = createDataPlane({
      rules: new ActiveRules(new CompiledRuleSet(1, facadeRules(side, args))),
      maxBodyBytes: MAX_BODY_BYTES,
      routingHeaders: true,
      trustProxy: false,
      metrics: new Registry(),
    });
    planes.push(plane);
    ports[side] = (await plane.listen(0, '127.0.0.1')).port;
  }
  return { ports: ports as Record<Side, number>, planes };
}

/** The facade, in a process of its own so that it never shares an event loop with the load generator. */
function main(): void {
  const args = JSON.parse(process.argv[2] ?? '{}') as FacadeArguments;
  const send = (reply: Reply, then: () => void = () => undefined) => process.send?.(reply, then);
  start(args).then(
    ({ ports, planes }) => {
      process.on('message', (command: Command) => {
        if (command.type !== 'stop') return;
        Promise.all(planes.map((plane) => plane.close())).then(
          () => send({ type: 'stopped' }, () => process.exit(0)),
          (error: unknown) => send({ type: 'failed', error: describeError(error) }, () => process.exit(1)),
        );
      });
      send({ type: 'ready', ports, detail: FACADE_DETAIL });
    },
    (error: unknown) => send({ type: 'failed', error: describeError(error) }, () => process.exit(1)),
  );
  // The coordinator is gone: do not linger.
  process.on('disconnect', () => process.exit(0));
  // Ctrl-C reaches the whole process group: the coordinator decides when this worker stops.
  process.on('SIGINT', () => undefined);
}

if (require.main === module) main();

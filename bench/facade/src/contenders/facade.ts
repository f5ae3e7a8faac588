import { Registry } from 'prom-client';
import { createDataPlane } from '../../../../strangler/src/data-plane';
import { ActiveRules, CompiledRuleSet } from '../../../../strangler/src/rules';
import type { ProxyArguments } from '../protocol';
import { ruleTable } from '../rule-table';
import type { Served } from '../serve';

/** `STRANGLER_MAX_BODY_BYTES`'s default (10 MiB). */
const MAX_BODY_BYTES = 10 * 1024 * 1024;

export const FACADE_IMPLEMENTATION =
  'createDataPlane (strangler/src/data-plane) with its production defaults: routingHeaders on, trustProxy off, a prom-client Registry';

/**
 * The facade: the data plane as the strangler runs it, with a generated rule table of
 * `args.rules` routes, all to legacy (the stub upstream); the measured path matches the
 * route second to last, deep in the table.
 */
export async function startFacade(args: ProxyArguments): Promise<Served> {
  const rules = new ActiveRules(new CompiledRuleSet(1, ruleTable(args.rules ?? 100, args.upstreamUrl)));
  const dataPlane = createDataPlane({
    rules,
    maxBodyBytes: MAX_BODY_BYTES,
    routingHeaders: true,
    trustProxy: false,
    metrics: new Registry(),
  });
  const address = await dataPlane.listen(0, '127.0.0.1');
  return {
    port: address.port,
    detail: `${FACADE_IMPLEMENTATION}; ${args.rules} rules`,
    close: () => dataPlane.close(),
  };
}

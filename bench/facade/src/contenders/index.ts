import type { ProxyArguments } from '../protocol';
import type { Served } from '../serve';
import { startBareProxy } from './bare-proxy';
import { startFacade } from './facade';
import { startNestProxy } from './nest-proxy';
import { startRulesProxy } from './rules-proxy';

/** The proxies that run in a Node process of their own (see `proxy-worker.ts`). */
export const NODE_PROXIES = ['bare', 'nestHpm', 'nestHpmDefaults', 'facade', 'rulesProxy'] as const;

export function startProxy(args: ProxyArguments): Promise<Served> {
  switch (args.contender) {
    case 'bare':
      return startBareProxy(args);
    case 'nestHpm':
      return startNestProxy(args, { keepAliveAgent: true });
    case 'nestHpmDefaults':
      return startNestProxy(args, { keepAliveAgent: false });
    case 'rulesProxy':
      return startRulesProxy(args);
    case 'facade':
      return startFacade(args);
    default:
      throw new Error(`Unknown proxy ${args.contender} (known: ${NODE_PROXIES.join(', ')})`);
  }
}

import { Agent, createServer, request } from 'node:http';
import { ActiveRules, CompiledRuleSet, toRoutingRequest } from '../../../../strangler/src/rules';
import type { ProxyArguments } from '../protocol';
import { ruleTable } from '../rule-table';
import { type Served, listen } from '../serve';

/**
 * A diagnostic contender (opt-in, `BENCH_EXTRA=rulesProxy`): the bare proxy with the rules
 * layer in front (parse the target, `decide()` over the same generated table as the
 * facade's, the chosen upstream's URL). What routing alone adds to a bare proxy: the
 * ceiling for the data plane, which does much more per request.
 */
export function startRulesProxy(args: ProxyArguments): Promise<Served> {
  const rules = new ActiveRules(new CompiledRuleSet(1, ruleTable(args.rules ?? 100, args.upstreamUrl)));
  // Per upstream URL: its parsed form and a keep-alive agent, made once.
  const targets = new Map<string, { hostname: string; port: string; agent: Agent }>();
  const server = createServer((req, res) => {
    const parsed = toRoutingRequest(req.method ?? 'GET', req.url ?? '/', req.headers, req.socket.remoteAddress);
    if (!parsed.ok) {
      res.writeHead(400).end();
      return;
    }
    const current = rules.current;
    const decision = current.decide(parsed.request);
    const base = current.upstreamUrls.get(decision.upstream)?.[0];
    if (!base) {
      res.writeHead(502).end();
      return;
    }
    let target = targets.get(base);
    if (!target) {
      const url = new URL(base);
      target = { hostname: url.hostname, port: url.port, agent: new Agent({ keepAlive: true, maxSockets: 256 }) };
      targets.set(base, target);
    }
    const { hostname, port, agent } = target;
    const upstream = request(
      { hostname, port, method: req.method, path: req.url, headers: req.headers, agent },
      (answer) => {
        res.writeHead(answer.statusCode ?? 502, answer.headers);
        answer.pipe(res);
      },
    );
    upstream.on('error', () => {
      if (!res.headersSent) res.writeHead(502);
      res.end();
    });
    req.pipe(upstream);
  });
  return listen(server, `bare proxy + toRoutingRequest + decide(), ${args.rules} rules`, async () => {
    for (const { agent } of targets.values()) agent.destroy();
  });
}

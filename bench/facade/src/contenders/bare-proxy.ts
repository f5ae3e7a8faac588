import { Agent, createServer, request } from 'node:http';
import type { ProxyArguments } from '../protocol';
import { type Served, listen } from '../serve';

/**
 * The baseline: a bare Node `http` proxy, the least a proxy can do. Every request goes to
 * the upstream over a keep-alive agent with its method, path and headers as received; the
 * answer is piped back. No routing, no header rewriting, no metrics.
 */
export function startBareProxy(args: ProxyArguments): Promise<Served> {
  const target = new URL(args.upstreamUrl);
  const agent = new Agent({ keepAlive: true, maxSockets: 256 });
  const server = createServer((req, res) => {
    const upstream = request(
      { hostname: target.hostname, port: target.port, method: req.method, path: req.url, headers: req.headers, agent },
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
  return listen(server, 'node:http server, http.request over a keep-alive Agent, req.pipe / res.pipe', async () =>
    agent.destroy(),
  );
}

import type { IncomingMessage } from 'node:http';
import type { Socket } from 'node:net';
import { STATUS_CODES } from 'node:http';
import type { Duplex } from 'node:stream';
import type { Dispatcher } from 'undici';
import { toRoutingRequest } from '../rules';
import type { CircuitBreaker } from './circuit-breaker';
import { clientIp } from './client-address';
import { type DataPlaneContext, describe } from './data-plane.context';
import { DATA_PLANE_ERRORS, type DataPlaneErrorCode } from './data-plane.errors';
import { writeRawError } from './error-response';
import { guardedDecision } from './guarded-decision';
import { InternalPaths } from './internal-paths';
import { statusClass } from './proxy-exchange';
import { upstreamRequestHeaders } from './request-headers';
import { type ResponseTags, clientResponseHeaders, tagHeaders } from './response-headers';
import { isValidTraceparent, newTraceparent, requestIdFrom } from './trace-context';

function headerBlock(statusLine: string, headers: readonly string[], close: boolean): Buffer {
  let head = `${statusLine}\r\n`;
  for (let i = 0; i < headers.length; i += 2) head += `${headers[i]}: ${headers[i + 1]}\r\n`;
  if (close) head += 'connection: close\r\n';
  return Buffer.from(`${head}\r\n`, 'latin1');
}

/**
 * One upgrade request (WebSocket) relayed to its upstream. Once the upstream answers `101`,
 * the two sockets are piped to each other, byte for byte, until either side closes; any
 * other answer is relayed as it is and the connection closed. The route's timeout covers
 * the wait for that answer; an open tunnel has no idle limit (a quiet WebSocket is normal).
 * Upgrades are not retried and do not fall back: each gets one call.
 */
class UpgradeAttempt implements Dispatcher.DispatchHandler {
  private abortCall?: (error?: Error) => void;
  private settled = false;
  private wrote = false;
  private timer: NodeJS.Timeout;

  constructor(
    private readonly context: DataPlaneContext,
    private readonly client: Socket,
    private readonly clientHead: Buffer,
    private readonly tags: ResponseTags,
    private readonly route: string,
    private readonly upstream: string,
    private readonly url: string,
    private readonly breaker: CircuitBreaker | undefined,
    private readonly probe: boolean,
    timeoutMs: number,
  ) {
    this.timer = setTimeout(() => this.fail('timeout', new Error(`no answer within ${timeoutMs} ms`)), timeoutMs);
    client.once('close', this.onClientClose);
  }

  onConnect(abort: (error?: Error) => void): void {
    if (this.settled) abort(new Error('given up'));
    else this.abortCall = abort;
  }

  onUpgrade(status: number, raw: Buffer[] | string[] | null, socket: Duplex): void {
    if (this.settled) {
      socket.destroy();
      return;
    }
    this.settle('ok', status);
    const client = this.client;
    client.off('close', this.onClientClose);
    if (client.destroyed) {
      socket.destroy();
      return;
    }
    const headers = clientResponseHeaders(raw ?? [], this.tags, true);
    client.write(headerBlock(`HTTP/1.1 ${status} ${STATUS_CODES[status] ?? 'Switching Protocols'}`, headers, false));
    if (this.clientHead.length > 0) socket.write(this.clientHead);
    socket.on('error', () => client.destroy());
    client.on('error', () => socket.destroy());
    socket.once('close', () => client.destroy());
    client.once('close', () => socket.destroy());
    socket.pipe(client);
    client.pipe(socket);
  }

  onHeaders(status: number, raw: Buffer[], resume: () => void, text: string): boolean {
    if (this.settled) return false;
    if (status < 200) return true;
    this.settle(status >= 500 ? 'error' : 'ok', status);
    this.wrote = true;
    const headers = clientResponseHeaders(raw, this.tags);
    this.client.write(headerBlock(`HTTP/1.1 ${status} ${text || STATUS_CODES[status] || ''}`, headers, true));
    this.client.on('drain', resume);
    return true;
  }

  onData(chunk: Buffer): boolean {
    return this.client.write(chunk);
  }

  onComplete(): void {
    this.client.end();
  }

  onError(error: Error): void {
    if (this.wrote) this.client.destroy();
    else this.fail(this.abortCall ? 'reset' : 'connect', error);
  }

  private fail(kind: 'timeout' | 'reset' | 'connect', error: Error): void {
    if (this.settled) return;
    if (kind === 'connect') this.context.pools.markDown(this.url, Date.now(), error);
    this.settle('failure', 0);
    this.abortCall?.(error);
    this.context.metrics.upstreamErrors.inc({ upstream: this.upstream, kind });
    this.context.debug(`upgrade to ${this.upstream} (${this.url}) ${kind}: ${describe(error)}`);
    const code: DataPlaneErrorCode = kind === 'timeout' ? 'UPSTREAM_TIMEOUT' : 'UPSTREAM_UNAVAILABLE';
    writeRawError(
      this.client,
      code,
      `The upstream ${this.upstream} did not accept the upgrade.`,
      tagHeaders(this.tags),
    );
    this.count(code === 'UPSTREAM_TIMEOUT' ? 504 : 502);
  }

  private settle(outcome: 'ok' | 'error' | 'failure', status: number): void {
    this.settled = true;
    clearTimeout(this.timer);
    this.breaker?.record(outcome, this.probe, Date.now());
    if (status > 0) this.count(status);
  }

  private count(status: number): void {
    this.context.metrics.requests.inc({
      route: this.route,
      upstream: this.upstream,
      status_class: statusClass(status),
    });
    this.context.traffic.record(this.route, this.upstream, Date.now());
  }

  private readonly onClientClose = () => {
    if (this.settled) return;
    this.settled = true;
    clearTimeout(this.timer);
    if (this.probe) this.breaker?.releaseProbe();
    this.abortCall?.(new Error('the client went away'));
  };
}

/** The data plane's `upgrade` listener. Open tunnels are kept in `tunnels` (closed at shutdown). */
export function createUpgradeHandler(
  context: DataPlaneContext,
  tunnels: Set<Socket>,
): (req: IncomingMessage, socket: Duplex, head: Buffer) => void {
  const { trustProxy, routingHeaders } = context.options;
  const internalPaths = new InternalPaths(context.options.internalPaths);
  return (req, duplex, head) => {
    const socket = duplex as Socket;
    socket.on('error', () => socket.destroy());
    tunnels.add(socket);
    socket.once('close', () => tunnels.delete(socket));
    const requestId = requestIdFrom(req.headers['x-request-id']);
    const refuse = (code: DataPlaneErrorCode, message: string, route = '-', upstream = '-') => {
      const routing = routingHeaders ? { route, upstream } : undefined;
      writeRawError(socket, code, message, tagHeaders({ requestId, routing }));
      context.metrics.requests.inc({
        route,
        upstream,
        status_class: DATA_PLANE_ERRORS[code].status < 500 ? '4xx' : '5xx',
      });
    };
    try {
      const rules = context.currentRules();
      // SECURITY: as for plain requests, only the validated path chooses the upstream.
      const parsed = toRoutingRequest(req.method ?? 'GET', req.url ?? '/', req.headers, clientIp(req, trustProxy));
      if (!parsed.ok) return refuse('VALIDATION_FAILED', `The request target is refused: ${parsed.reason}.`);
      const decision = guardedDecision(context, rules.decide(parsed.request));
      if (internalPaths.refuses(parsed.request.segments, decision))
        return refuse('ROUTE_NOT_FOUND', 'No public route answers this path.');
      const route = decision.route?.id ?? '-';
      const upstream = decision.upstream;
      const breaker = context.breakers.get(upstream);
      const admission = breaker?.admit(Date.now()) ?? 'pass';
      if (admission === 'reject') {
        context.metrics.upstreamErrors.inc({ upstream, kind: 'circuit_open' });
        return refuse(
          'UPSTREAM_CIRCUIT_OPEN',
          `The upstream ${upstream} is failing; its circuit is open.`,
          route,
          upstream,
        );
      }
      const urls = rules.upstreamUrls.get(upstream);
      const url = urls ? context.pools.pick(upstream, urls, Date.now()) : undefined;
      if (url === undefined) {
        if (admission === 'probe') breaker?.releaseProbe();
        return refuse('UPSTREAM_UNAVAILABLE', `The upstream ${upstream} has no address.`, route, upstream);
      }
      const traceGiven = isValidTraceparent(req.headers.traceparent);
      const headers = upstreamRequestHeaders(
        req,
        { requestId, traceparent: traceGiven ? (req.headers.traceparent as string) : newTraceparent(), traceGiven },
        trustProxy,
      );
      const tags: ResponseTags = { requestId, routing: routingHeaders ? { route, upstream } : undefined };
      const attempt = new UpgradeAttempt(
        context,
        socket,
        head,
        tags,
        route,
        upstream,
        url,
        breaker,
        admission === 'probe',
        decision.timeoutMs,
      );
      const path = (req.url as string).startsWith('/')
        ? (req.url as string)
        : `${parsed.path}${parsed.query ? `?${parsed.query}` : ''}`;
      context.pools
        .pool(url)
        .dispatch(
          { path, method: req.method as string, headers, body: null, upgrade: req.headers.upgrade ?? 'websocket' },
          attempt,
        );
    } catch (error) {
      context.error(`${requestId}: upgrade failed unexpectedly`, error);
      writeRawError(socket, 'INTERNAL_ERROR', 'An unexpected error occurred.', ['x-request-id', requestId]);
    }
  };
}

import { type IncomingMessage, type Server, type ServerResponse, createServer } from 'node:http';
import type { AddressInfo, Socket } from 'node:net';
import type { CircuitStatus } from './circuit-breakers';
import { DataPlaneContext } from './data-plane.context';
import { type DataPlaneOptions, resolveDataPlaneOptions } from './data-plane.options';
import {
  createClientErrorHandler,
  createConnectHandler,
  refusingBadHost,
  refusingBadHostUpgrade,
} from './client-error';
import { InternalPaths } from './internal-paths';
import { createRequestHandler, declaredLength } from './request-handler';
import type { RoutingDecision } from '../rules';
import type { PinView } from './idempotency';
import type { TrippedRoute } from './route-guards';
import type { TrafficSplit } from './traffic-split';
import { createUpgradeHandler } from './websocket-proxy';

const IDLE_SWEEP_MS = 50;

/** The public data plane: an HTTP server that routes each request by the rules in force. */
export interface DataPlane {
  /** The Node server (not listening until `listen`). */
  readonly server: Server;
  /** Starts listening; resolves with the bound address (port 0 picks a free port). */
  listen(port: number, host?: string): Promise<AddressInfo>;
  /**
   * Stops gracefully: stops accepting, closes idle keep-alive connections, lets requests
   * under way finish within `shutdownTimeoutMs` (then cuts them), closes WebSocket tunnels,
   * then the upstream pools. Safe to call twice.
   */
  close(): Promise<void>;
  /** Requests per route by upstream over the last `minutes` minutes (default 5, at most `trafficWindowMinutes`). */
  trafficSplit(minutes?: number): TrafficSplit;
  /** The routes their guard has moved back to legacy, now. */
  trippedRoutes(): TrippedRoute[];
  /** The upstreams' circuit breakers (only upstreams whose rules configure one). */
  circuits(): CircuitStatus[];
  /** The Idempotency-Key pin a request with these headers would follow (`idempotency/`); `undefined` when it takes none. */
  idempotencyPin(
    method: string,
    headers: Readonly<Record<string, string>>,
  ): Promise<PinView | null | 'unavailable' | undefined>;
  /** Whether the data plane refuses this path with `404 ROUTE_NOT_FOUND` as internal (`STRANGLER_INTERNAL_PATHS`), given its decision. */
  refusesInternal(segments: readonly string[], decision: RoutingDecision): boolean;
}

export const DEFAULT_TRAFFIC_SPLIT_MINUTES = 5;

/**
 * Builds the data plane (it does not listen yet).
 *
 * @example
 * const dataPlane = createDataPlane({ rules, maxBodyBytes: config.maxBodyBytes,
 *   routingHeaders: config.routingHeaders, trustProxy: config.trustProxy, metrics: registry, logger });
 * await dataPlane.listen(config.port);
 */
export function createDataPlane(options: DataPlaneOptions): DataPlane {
  const resolved = resolveDataPlaneOptions(options);
  const context = new DataPlaneContext(resolved);
  const tunnels = new Set<Socket>();
  const internalPaths = new InternalPaths(resolved.internalPaths);
  const handleRequest = refusingBadHost(context, createRequestHandler(context));
  // `Host` is checked by `refusingBadHost`, so that a missing one is answered with the error body.
  const server = createServer({ noDelay: true, requireHostHeader: false }, handleRequest);
  // Answer `Expect: 100-continue` ourselves, so a body over the limit is refused before it is sent.
  server.on('checkContinue', (req: IncomingMessage, res: ServerResponse) => {
    const length = declaredLength(req);
    if (length === undefined || length <= resolved.maxBodyBytes) res.writeContinue();
    handleRequest(req, res);
  });
  server.on('upgrade', refusingBadHostUpgrade(context, createUpgradeHandler(context, tunnels)));
  server.on('clientError', createClientErrorHandler(context));
  server.on('connect', createConnectHandler(context));

  let closing: Promise<void> | undefined;
  const close = async () => {
    context.closing = true;
    if (server.listening) {
      const closed = new Promise<void>((resolve) => server.close(() => resolve()));
      // Keep-alive connections are closed as soon as they are idle; WebSocket tunnels once
      // no plain request is under way (they would never end on their own).
      server.closeIdleConnections();
      const sweep = setInterval(() => server.closeIdleConnections(), IDLE_SWEEP_MS);
      void context.whenIdle().then(() => {
        for (const socket of tunnels) socket.destroy();
      });
      let deadline: NodeJS.Timeout | undefined;
      const timedOut = new Promise<'timeout'>((resolve) => {
        deadline = setTimeout(() => resolve('timeout'), resolved.shutdownTimeoutMs);
      });
      if ((await Promise.race([closed, timedOut])) === 'timeout') {
        server.closeAllConnections();
        for (const socket of tunnels) socket.destroy();
        await closed;
      }
      clearInterval(sweep);
      clearTimeout(deadline);
    }
    await context.pools.close(resolved.shutdownTimeoutMs);
  };

  return {
    server,
    listen: (port, host) =>
      new Promise<AddressInfo>((resolve, reject) => {
        const onError = (error: Error) => reject(error);
        server.once('error', onError);
        server.listen(port, host, () => {
          server.off('error', onError);
          resolve(server.address() as AddressInfo);
        });
      }),
    close: () => (closing ??= close()),
    trafficSplit: (minutes = DEFAULT_TRAFFIC_SPLIT_MINUTES) => context.traffic.split(minutes, Date.now()),
    trippedRoutes: () => {
      context.currentRules();
      return context.guards.tripped(Date.now());
    },
    circuits: () => {
      context.currentRules();
      return context.breakers.statuses();
    },
    idempotencyPin: async (method, headers) => resolved.idempotency?.peek(method, headers),
    refusesInternal: (segments, decision) => internalPaths.refuses(segments, decision),
  };
}

import type { IncomingMessage, ServerResponse } from 'node:http';
import { performance } from 'node:perf_hooks';
import { type RoutingDecision, toRoutingRequest } from '../rules';
import { clientIp } from './client-address';
import type { DataPlaneContext } from './data-plane.context';
import type { DataPlaneErrorCode } from './data-plane.errors';
import { sendError } from './error-response';
import { ProxyExchange, statusClass } from './proxy-exchange';
import { upstreamRequestHeaders } from './request-headers';
import { tagHeaders } from './response-headers';
import { isValidTraceparent, newTraceparent, requestIdFrom } from './trace-context';
import { guardedDecision } from './guarded-decision';
import { InternalPaths } from './internal-paths';
import { forwardWhenReady } from './forward-when-ready';
import { type SentPositions, awaitPositions, carryPositions } from './consistency/await-positions';

/** The declared body length: a number, undefined when none is declared, NaN when malformed. */
export const declaredLength = (req: IncomingMessage): number | undefined => {
  const value = req.headers['content-length'];
  return value === undefined ? undefined : Number(value);
};

/** Whether the request has a body: a declared length above 0, or a chunked one. */
const hasBody = (req: IncomingMessage): boolean =>
  req.headers['transfer-encoding'] !== undefined || (declaredLength(req) ?? 0) > 0;

/** The data plane's `request` listener. */
export function createRequestHandler(context: DataPlaneContext): (req: IncomingMessage, res: ServerResponse) => void {
  const { trustProxy, maxBodyBytes, routingHeaders } = context.options;
  const requestEnded = () => context.requestEnded();
  const internalPaths = new InternalPaths(context.options.internalPaths);

  const refuse = (
    req: IncomingMessage,
    res: ServerResponse,
    code: DataPlaneErrorCode,
    message: string,
    requestId: string,
    decision: RoutingDecision | undefined,
  ) => {
    const route = decision?.route?.id ?? '-';
    const upstream = decision?.upstream ?? '-';
    const routing = routingHeaders ? { route, upstream } : undefined;
    // A body that will not be read would block the connection: close it after the answer.
    const close = hasBody(req) || context.closing;
    sendError(res, code, message, tagHeaders({ requestId, routing }), close);
    context.metrics.requests.inc({ route, upstream, status_class: statusClass(res.statusCode) });
  };

  const handle = (req: IncomingMessage, res: ServerResponse, startedAt: number, requestId: string) => {
    const headers = req.headers;
    const rules = context.currentRules();
    const target = req.url ?? '/';
    // SECURITY: the rules see only the path (an absolute-form target is reduced to its
    // path; `Host` is never consulted for the destination), and a path that an upstream
    // could normalise into another route's path is refused here.
    const parsed = toRoutingRequest(req.method ?? 'GET', target, headers, clientIp(req, trustProxy));
    if (!parsed.ok) {
      return refuse(
        req,
        res,
        'VALIDATION_FAILED',
        `The request target is refused: ${parsed.reason}.`,
        requestId,
        undefined,
      );
    }
    const decision = guardedDecision(context, rules.decide(parsed.request));
    // SECURITY: the upstreams' own metrics, health and API docs are not public (README.md).
    if (internalPaths.refuses(parsed.request.segments, decision)) {
      return refuse(req, res, 'ROUTE_NOT_FOUND', 'No public route answers this path.', requestId, undefined);
    }
    const length = declaredLength(req);
    if (length !== undefined && !(length <= maxBodyBytes)) {
      return refuse(
        req,
        res,
        'PAYLOAD_TOO_LARGE',
        `The request body is larger than ${maxBodyBytes} bytes.`,
        requestId,
        decision,
      );
    }
    const chunked = headers['transfer-encoding'] !== undefined;
    const traceGiven = isValidTraceparent(headers.traceparent);
    const forwarded = upstreamRequestHeaders(
      req,
      { requestId, traceparent: traceGiven ? (headers.traceparent as string) : newTraceparent(), traceGiven },
      trustProxy,
    );
    // SECURITY: what goes upstream is the validated origin-form path, never an absolute URL;
    // the pool it goes to is one of the configured upstream's URLs.
    const path = target.charCodeAt(0) === 47 ? target : parsed.query ? `${parsed.path}?${parsed.query}` : parsed.path;
    const sent: SentPositions = {};
    const forward = (chosen: RoutingDecision) =>
      new ProxyExchange(
        context,
        req,
        res,
        rules,
        chosen,
        path,
        forwarded,
        requestId,
        startedAt,
        chunked ? maxBodyBytes : undefined,
        hasBody(req),
        sent,
      ).start();
    // A keyed write goes where its Idempotency-Key was first taken (README.md, "Idempotency-Key pins").
    const pinned = context.options.idempotency?.route(req, res, rules, decision, routingHeaders);
    // A route that names what its answers concern waits for the writes before it (README.md, "Reads see the writes before them").
    const store = context.options.consistency;
    const keys = store ? rules.awaitedKeys(decision.route, parsed.request) : undefined;
    if (!pinned && !keys?.length) return forward(decision);
    // What the instance's memory knows goes at once, without a round trip.
    if (!pinned && store && keys && carryPositions(store.readKnown(keys, decision.upstream), forwarded, sent)) {
      return forward(decision);
    }
    let chosen = pinned ?? Promise.resolve(decision);
    if (store && keys?.length) {
      chosen = chosen.then((to) => awaitPositions(store, keys, to.upstream, forwarded, sent).then(() => to));
    }
    forwardWhenReady(context, res, requestId, chosen, forward);
  };

  return (req, res) => {
    const startedAt = performance.now();
    context.requestStarted();
    res.once('close', requestEnded);
    const requestId = requestIdFrom(req.headers['x-request-id']);
    try {
      handle(req, res, startedAt, requestId);
    } catch (error) {
      context.error(`${requestId}: request failed unexpectedly`, error);
      if (res.headersSent) res.destroy();
      else sendError(res, 'INTERNAL_ERROR', 'An unexpected error occurred.', ['x-request-id', requestId], true);
    }
  };
}

import type { IncomingMessage, ServerResponse } from 'node:http';
import type { Socket } from 'node:net';
import type { Duplex } from 'node:stream';
import { ALLOWED_METHODS, CONNECT_REFUSAL, clientErrorAnswer, hostHeaderRefusal } from '@app/service-defaults';
import type { DataPlaneContext } from './data-plane.context';
import { sendError, writeRawError } from './error-response';
import { tagHeaders } from './response-headers';
import { requestIdFrom } from './trace-context';

/** The facade's own headers on an answer that no route chose: a request id, and `-` for route and upstream. */
function unroutedHeaders(context: DataPlaneContext, givenRequestId?: string | string[]): string[] {
  const routing = context.options.routingHeaders ? { route: '-', upstream: '-' } : undefined;
  return tagHeaders({ requestId: requestIdFrom(givenRequestId), routing });
}

function counted(context: DataPlaneContext): void {
  context.metrics.requests.inc({ route: '-', upstream: '-', status_class: '4xx' });
}

/**
 * The data plane's `clientError` listener. A request that Node's parser rejected (`HPE_*`: bad
 * or oversized headers, an ambiguous body length, a bad chunk) or that timed out gets the API's
 * error body, then the connection closes. A bad chunk arrives while the request is under way: its
 * response answers, unless it has started (then, as for a reset, the connection is just closed).
 */
export function createClientErrorHandler(context: DataPlaneContext) {
  return (error: Error & { code?: string }, duplex: Duplex): void => {
    const answer = clientErrorAnswer(error, duplex);
    if (answer.via === 'close') return void answer.socket.destroy();
    const { code, message } = answer.refusal;
    if (answer.via === 'socket') {
      counted(context);
      return writeRawError(answer.socket, code, message, unroutedHeaders(context));
    }
    // The request's exchange counts it, when the connection closes after this answer.
    const headers = unroutedHeaders(context, answer.response.req.headers['x-request-id']);
    sendError(answer.response, code, message, headers, true);
  };
}

/** The data plane's `connect` listener: `405 METHOD_NOT_ALLOWED` (without it, Node cuts CONNECT without a word). */
export function createConnectHandler(context: DataPlaneContext) {
  return (req: IncomingMessage, duplex: Duplex): void => {
    const socket = duplex as Socket;
    socket.on('error', () => socket.destroy());
    counted(context);
    const headers = [...unroutedHeaders(context, req.headers['x-request-id']), 'allow', ALLOWED_METHODS];
    writeRawError(socket, CONNECT_REFUSAL.code, CONNECT_REFUSAL.message, headers);
  };
}

/**
 * Wraps the `request` listener: an HTTP/1.1 request without `Host`, or one with two, gets
 * `400 MALFORMED_REQUEST` (RFC 9112 §3.2; the server runs with `requireHostHeader: false`, whose
 * answer would have no body). `Host` never chooses the upstream; this is about framing.
 */
export function refusingBadHost(
  context: DataPlaneContext,
  handle: (req: IncomingMessage, res: ServerResponse) => void,
): (req: IncomingMessage, res: ServerResponse) => void {
  return (req, res) => {
    const refusal = hostHeaderRefusal(req);
    if (!refusal) return handle(req, res);
    counted(context);
    sendError(res, refusal.code, refusal.message, unroutedHeaders(context, req.headers['x-request-id']), true);
  };
}

/** The same check for the `upgrade` listener (a WebSocket handshake), answered on the raw socket. */
export function refusingBadHostUpgrade(
  context: DataPlaneContext,
  handle: (req: IncomingMessage, socket: Duplex, head: Buffer) => void,
): (req: IncomingMessage, socket: Duplex, head: Buffer) => void {
  return (req, duplex, head) => {
    const refusal = hostHeaderRefusal(req);
    if (!refusal) return handle(req, duplex, head);
    const socket = duplex as Socket;
    socket.on('error', () => socket.destroy());
    counted(context);
    writeRawError(socket, refusal.code, refusal.message, unroutedHeaders(context, req.headers['x-request-id']));
  };
}

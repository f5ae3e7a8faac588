import { randomUUID } from 'node:crypto';
import { type IncomingMessage, STATUS_CODES, type Server, type ServerResponse } from 'node:http';
import type { Socket } from 'node:net';
import type { Duplex } from 'node:stream';
import type { Logger } from 'pino';
import { errorBody } from '../errors/error-body';
import { SERVICE_ERRORS } from '../errors/error-catalog';
import { DomainError } from '../errors/domain-error';
import {
  ALLOWED_METHODS,
  CONNECT_REFUSAL,
  type ProtocolRefusal,
  clientErrorAnswer,
  hostHeaderRefusal,
} from './protocol-refusal';

const JSON_TYPE = 'application/json; charset=utf-8';

function payload(refusal: ProtocolRefusal): { status: number; body: Buffer } {
  const status = SERVICE_ERRORS[refusal.code].status;
  return { status, body: Buffer.from(JSON.stringify(errorBody(status, refusal.code, refusal.message))) };
}

/**
 * The answer on a bare socket (no `ServerResponse` exists yet), then the connection closes; one
 * `request refused` line at `warn`, since no request log line will be written for it.
 */
function writeRaw(logger: Logger, socket: Socket, refusal: ProtocolRefusal, detail: string, extra = ''): void {
  const { status, body } = payload(refusal);
  const requestId = randomUUID();
  const head =
    `HTTP/1.1 ${status} ${STATUS_CODES[status] ?? 'Error'}\r\nx-request-id: ${requestId}\r\n${extra}` +
    `content-type: ${JSON_TYPE}\r\ncontent-length: ${body.length}\r\nconnection: close\r\n\r\n`;
  socket.end(Buffer.concat([Buffer.from(head, 'latin1'), body]));
  logger.warn(
    { requestId, res: { statusCode: status }, code: refusal.code, detail, remoteAddress: socket.remoteAddress },
    'request refused',
  );
}

function onClientError(logger: Logger) {
  return (error: Error & { code?: string }, duplex: Duplex): void => {
    const answer = clientErrorAnswer(error, duplex);
    if (answer.via === 'close') return void answer.socket.destroy();
    if (answer.via === 'socket') return writeRaw(logger, answer.socket, answer.refusal, error.code ?? error.message);
    // A request under way whose body broke (a bad chunk): its response answers, with its request
    // id, and its request log line is written when it closes.
    const { status, body } = payload(answer.refusal);
    answer.response.writeHead(status, {
      'content-type': JSON_TYPE,
      'content-length': body.length,
      connection: 'close',
    });
    answer.response.end(body);
  };
}

function onConnect(logger: Logger) {
  return (request: IncomingMessage, duplex: Duplex): void => {
    const socket = duplex as Socket;
    socket.on('error', () => socket.destroy());
    writeRaw(logger, socket, CONNECT_REFUSAL, `CONNECT ${request.url ?? ''}`, `allow: ${ALLOWED_METHODS}\r\n`);
  };
}

/**
 * Makes the refusals of Node's HTTP server speak the API: a request its parser refuses (bad
 * or oversized headers, an ambiguous body length, a bad chunk), a request that timed out,
 * and `CONNECT` (which Node would cut without a word) get the error body with a stable code,
 * and a `request refused` log line (`code`, `detail`: the parser's error code or the CONNECT
 * target). A missing or repeated `Host` is refused by {@link refuseBadHostHeader} instead of
 * Node's bare `400`, so that it gets the caller's request id and a request log line.
 */
export function answerProtocolRefusals(server: Server, logger: Logger): void {
  (server as Server & { requireHostHeader: boolean }).requireHostHeader = false;
  server.on('clientError', onClientError(logger));
  server.on('connect', onConnect(logger));
}

/** Middleware: `400 MALFORMED_REQUEST` for an HTTP/1.1 request without `Host`, or any with two. */
export function refuseBadHostHeader(
  request: IncomingMessage,
  _response: ServerResponse,
  next: (error?: unknown) => void,
): void {
  const refusal = hostHeaderRefusal(request);
  next(refusal ? new DomainError(refusal.code, refusal.message) : undefined);
}

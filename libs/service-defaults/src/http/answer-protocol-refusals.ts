import { randomUUID } from 'node:crypto';
import { type IncomingMessage, STATUS_CODES, type Server, type ServerResponse } from 'node:http';
import type { Socket } from 'node:net';
import type { Duplex } from 'node:stream';
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

/** The answer on a bare socket (no `ServerResponse` exists yet), then the connection closes. */
function writeRaw(socket: Socket, refusal: ProtocolRefusal, extra = ''): void {
  const { status, body } = payload(refusal);
  const head =
    `HTTP/1.1 ${status} ${STATUS_CODES[status] ?? 'Error'}\r\nx-request-id: ${randomUUID()}\r\n${extra}` +
    `content-type: ${JSON_TYPE}\r\ncontent-length: ${body.length}\r\nconnection: close\r\n\r\n`;
  socket.end(Buffer.concat([Buffer.from(head, 'latin1'), body]));
}

function onClientError(error: Error & { code?: string }, duplex: Duplex): void {
  const answer = clientErrorAnswer(error, duplex);
  if (answer.via === 'close') return void answer.socket.destroy();
  if (answer.via === 'socket') return writeRaw(answer.socket, answer.refusal);
  // A request under way whose body broke (a bad chunk): its response answers, with its request id.
  const { status, body } = payload(answer.refusal);
  answer.response.writeHead(status, { 'content-type': JSON_TYPE, 'content-length': body.length, connection: 'close' });
  answer.response.end(body);
}

function onConnect(_request: IncomingMessage, duplex: Duplex): void {
  const socket = duplex as Socket;
  socket.on('error', () => socket.destroy());
  writeRaw(socket, CONNECT_REFUSAL, `allow: ${ALLOWED_METHODS}\r\n`);
}

/**
 * Makes the refusals of Node's HTTP server speak the API: a request its parser refuses (bad
 * or oversized headers, an ambiguous body length, a bad chunk), a request that timed out,
 * and `CONNECT` (which Node would cut without a word) get the error body with a stable code.
 * A missing or repeated `Host` is refused by {@link refuseBadHostHeader} instead of Node's
 * bare `400`, so that it gets a request id and a log line.
 */
export function answerProtocolRefusals(server: Server): void {
  (server as Server & { requireHostHeader: boolean }).requireHostHeader = false;
  server.on('clientError', onClientError);
  server.on('connect', onConnect);
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

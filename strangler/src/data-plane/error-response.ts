import type { ServerResponse } from 'node:http';
import type { Socket } from 'node:net';
import { STATUS_CODES } from 'node:http';
import { errorBody } from '@app/service-defaults';
import { DATA_PLANE_ERRORS, type DataPlaneErrorCode } from './data-plane.errors';

const JSON_TYPE = 'application/json; charset=utf-8';

function payload(code: DataPlaneErrorCode, message: string): { status: number; body: Buffer } {
  const status = DATA_PLANE_ERRORS[code].status;
  return { status, body: Buffer.from(JSON.stringify(errorBody(status, code, message))) };
}

/**
 * Answers with the API's error body. `headers` is a flat `[name, value, …]` list (the
 * request id, routing headers); `close` ends the connection after the answer, for a
 * request whose body was not read to its end.
 */
export function sendError(
  res: ServerResponse,
  code: DataPlaneErrorCode,
  message: string,
  headers: readonly string[],
  close = false,
): void {
  const { status, body } = payload(code, message);
  const all = [...headers, 'content-type', JSON_TYPE, 'content-length', String(body.length)];
  if (close) all.push('connection', 'close');
  res.writeHead(status, all);
  res.end(body);
}

/** The same answer written on a raw socket (an upgrade request has no `ServerResponse`); closes it. */
export function writeRawError(
  socket: Socket,
  code: DataPlaneErrorCode,
  message: string,
  headers: readonly string[],
): void {
  if (!socket.writable) {
    socket.destroy();
    return;
  }
  const { status, body } = payload(code, message);
  let head = `HTTP/1.1 ${status} ${STATUS_CODES[status] ?? 'Error'}\r\n`;
  for (let i = 0; i < headers.length; i += 2) head += `${headers[i]}: ${headers[i + 1]}\r\n`;
  head += `content-type: ${JSON_TYPE}\r\ncontent-length: ${body.length}\r\nconnection: close\r\n\r\n`;
  socket.end(Buffer.concat([Buffer.from(head, 'latin1'), body]));
}

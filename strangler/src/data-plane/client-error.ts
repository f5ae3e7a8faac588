import type { Socket } from 'node:net';
import type { Duplex } from 'node:stream';
import { writeRawError } from './error-response';

/**
 * Answers a request that Node's parser rejected (`HPE_*` errors) with the API's error body
 * rather than a bare `400`, and closes the connection. Other client errors (a reset, a
 * request that took too long to arrive) and sockets with an answer under way are just closed.
 */
export function clientErrorHandler(error: Error & { code?: string }, duplex: Duplex): void {
  const socket = duplex as Socket & { _httpMessage?: unknown };
  if (!error.code?.startsWith('HPE_') || !socket.writable || socket._httpMessage) {
    socket.destroy();
    return;
  }
  const message =
    error.code === 'HPE_HEADER_OVERFLOW' ? 'The request headers are too large.' : 'The request is not valid HTTP/1.1.';
  writeRawError(socket, 'VALIDATION_FAILED', message, []);
}

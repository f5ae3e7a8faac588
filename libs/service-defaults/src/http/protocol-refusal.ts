import type { IncomingMessage, ServerResponse } from 'node:http';
import type { Socket } from 'node:net';
import type { Duplex } from 'node:stream';

/** The codes of requests refused before they reach a route (see `SERVICE_ERRORS`). */
export type ProtocolRefusalCode = 'MALFORMED_REQUEST' | 'METHOD_NOT_ALLOWED' | 'REQUEST_TIMEOUT' | 'HEADERS_TOO_LARGE';

export interface ProtocolRefusal {
  readonly code: ProtocolRefusalCode;
  readonly message: string;
}

/** The methods a process answers; `Allow` of a refused CONNECT. */
export const ALLOWED_METHODS = 'GET, HEAD, POST, PUT, PATCH, DELETE, OPTIONS';

export const CONNECT_REFUSAL: ProtocolRefusal = {
  code: 'METHOD_NOT_ALLOWED',
  message: 'CONNECT is not allowed: this server opens no tunnels.',
};

const MALFORMED = 'The request is not valid HTTP/1.1.';
const AMBIGUOUS_LENGTH =
  'The request body length is ambiguous (Content-Length with Transfer-Encoding, or two lengths).';
const BAD_CHUNK = 'The request body is not valid chunked encoding.';

const PARSER_MESSAGES: Readonly<Record<string, string>> = {
  HPE_UNEXPECTED_CONTENT_LENGTH: AMBIGUOUS_LENGTH,
  HPE_INVALID_TRANSFER_ENCODING: AMBIGUOUS_LENGTH,
  HPE_INVALID_CONTENT_LENGTH: 'The request has an invalid Content-Length.',
  HPE_INVALID_CHUNK_SIZE: BAD_CHUNK,
  HPE_STRICT: BAD_CHUNK,
  HPE_CHUNK_EXTENSIONS_OVERFLOW: BAD_CHUNK,
  HPE_INVALID_METHOD: 'The request method is not valid.',
  HPE_INVALID_URL: 'The request target is not valid.',
  HPE_INVALID_VERSION: 'The HTTP version is not valid.',
  HPE_INVALID_HEADER_TOKEN: 'The request has a header that is not valid.',
};

/**
 * What to answer for a `clientError` of Node's HTTP server, or `undefined` when it is not the
 * client's request that is wrong (a reset, a write to a closed socket): then the connection is
 * just closed, as Node does.
 */
export function protocolRefusal(error: Error & { code?: string }): ProtocolRefusal | undefined {
  const code = error.code ?? '';
  if (code === 'HPE_HEADER_OVERFLOW') {
    return { code: 'HEADERS_TOO_LARGE', message: 'The request line and headers are too large.' };
  }
  if (code === 'ERR_HTTP_REQUEST_TIMEOUT' || code === 'HPE_HEADER_TIMEOUT') {
    return { code: 'REQUEST_TIMEOUT', message: 'The request did not arrive in time.' };
  }
  if (code.startsWith('HPE_')) return { code: 'MALFORMED_REQUEST', message: PARSER_MESSAGES[code] ?? MALFORMED };
  return undefined;
}

/**
 * RFC 9112 §3.2: an HTTP/1.1 request without `Host`, or any request with more than one, gets
 * `400`. Node drops a repeated `Host` silently and refuses a missing one without a body, so
 * servers turn `requireHostHeader` off and refuse both with this.
 */
export function hostHeaderRefusal(request: IncomingMessage): ProtocolRefusal | undefined {
  const raw = request.rawHeaders;
  let hosts = 0;
  for (let i = 0; i < raw.length; i += 2) {
    const name = raw[i]!;
    if (name.length === 4 && name.toLowerCase() === 'host') hosts++;
  }
  if (hosts > 1) return { code: 'MALFORMED_REQUEST', message: 'The request has more than one Host header.' };
  if (hosts === 0 && request.httpVersionMajor === 1 && request.httpVersionMinor >= 1) {
    return { code: 'MALFORMED_REQUEST', message: 'The request has no Host header (HTTP/1.1 requires one).' };
  }
  return undefined;
}

/** Where a server answers a `clientError`: nowhere (close the connection), on the bare socket, or on the request's response. */
export type ClientErrorAnswer =
  | { readonly via: 'close'; readonly socket: Socket }
  | { readonly via: 'socket'; readonly socket: Socket; readonly refusal: ProtocolRefusal }
  | { readonly via: 'response'; readonly response: ServerResponse; readonly refusal: ProtocolRefusal };

/**
 * How to answer a `clientError` of Node's HTTP server. As Node does, only when nothing of a
 * response went out yet: on the bare socket while no request exists (bad headers), on the
 * request's response when its body broke under way (a bad chunk), else by closing the connection.
 */
export function clientErrorAnswer(error: Error & { code?: string }, duplex: Duplex): ClientErrorAnswer {
  const socket = duplex as Socket & { _httpMessage?: ServerResponse | null };
  const refusal = protocolRefusal(error);
  const response = socket._httpMessage ?? undefined;
  if (!refusal || !socket.writable || response?.headersSent) return { via: 'close', socket };
  return response ? { via: 'response', response, refusal } : { via: 'socket', socket, refusal };
}

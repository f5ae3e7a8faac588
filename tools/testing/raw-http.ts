import { connect } from 'node:net';

/** What a client read from a raw connection, up to the server closing it. */
export interface RawHttpAnswer {
  /** The status code (NaN when the server closed without answering). */
  readonly status: number;
  readonly statusLine: string;
  /** Header names lower-cased; the last value of a repeated header. */
  readonly headers: Record<string, string>;
  readonly text: string;
  /** The body parsed as JSON, undefined when it is not JSON. */
  readonly json: unknown;
  /** Every byte received, as latin1 text. */
  readonly raw: string;
}

/**
 * Writes bytes exactly as given on a new connection to `127.0.0.1:<port>` (malformed HTTP that
 * no client would send) and reads until the server closes the connection, so a test waits for
 * the close rather than for a fixed time. One answer is read (send `Connection: close`, or
 * expect the server to close after a refusal).
 */
export function rawHttp(port: number, text: string): Promise<RawHttpAnswer> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    const socket = connect(port, '127.0.0.1', () => socket.write(text, 'latin1'));
    socket.on('data', (chunk) => chunks.push(chunk));
    socket.on('error', (error: Error & { code?: string }) => {
      // A server that answers and closes while the rest is still being written resets the socket.
      if (error.code !== 'ECONNRESET' && error.code !== 'EPIPE') reject(error);
    });
    socket.on('close', () => resolve(parseAnswer(Buffer.concat(chunks).toString('latin1'))));
  });
}

function parseAnswer(raw: string): RawHttpAnswer {
  const split = raw.indexOf('\r\n\r\n');
  const head = split === -1 ? raw : raw.slice(0, split);
  const [statusLine = '', ...lines] = head.split('\r\n');
  const headers: Record<string, string> = {};
  for (const line of lines) {
    const colon = line.indexOf(':');
    if (colon > 0) headers[line.slice(0, colon).trim().toLowerCase()] = line.slice(colon + 1).trim();
  }
  let text = split === -1 ? '' : raw.slice(split + 4);
  if (headers['transfer-encoding'] === 'chunked') text = unchunk(text);
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch {
    json = undefined;
  }
  return { status: Number(statusLine.split(' ')[1]), statusLine, headers, text, json, raw };
}

function unchunk(body: string): string {
  let out = '';
  let rest = body;
  for (;;) {
    const eol = rest.indexOf('\r\n');
    if (eol === -1) return out;
    const size = parseInt(rest.slice(0, eol), 16);
    if (!size) return out;
    out += rest.slice(eol + 2, eol + 2 + size);
    rest = rest.slice(eol + 2 + size + 2);
  }
}

/**
 * One request per class of malformed HTTP, each with the status and code every process and the
 * facade answer it with. `path` is the request target to use (a route that takes a JSON body).
 */
export function malformedRequests(path: string): [string, string, number, string][] {
  const post = `POST ${path} HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Type: application/json\r\n`;
  return [
    [
      'Content-Length and Transfer-Encoding together (request smuggling)',
      `${post}Content-Length: 4\r\nTransfer-Encoding: chunked\r\n\r\n2\r\n{}\r\n0\r\n\r\n`,
      400,
      'MALFORMED_REQUEST',
    ],
    [
      'two different Content-Lengths',
      `${post}Content-Length: 2\r\nContent-Length: 3\r\n\r\n{} `,
      400,
      'MALFORMED_REQUEST',
    ],
    [
      'a header line without a colon',
      `GET ${path} HTTP/1.1\r\nHost: 127.0.0.1\r\nBad Header\r\n\r\n`,
      400,
      'MALFORMED_REQUEST',
    ],
    ['a request line that is not HTTP', 'HELLO\r\n\r\n', 400, 'MALFORMED_REQUEST'],
    [
      'headers over the limit',
      `GET ${path} HTTP/1.1\r\nHost: 127.0.0.1\r\nX-Big: ${'a'.repeat(20_000)}\r\n\r\n`,
      431,
      'HEADERS_TOO_LARGE',
    ],
    ['an HTTP/1.1 request without Host', `GET ${path} HTTP/1.1\r\nConnection: close\r\n\r\n`, 400, 'MALFORMED_REQUEST'],
    [
      'two Host headers',
      `GET ${path} HTTP/1.1\r\nHost: 127.0.0.1\r\nHost: example.com\r\nConnection: close\r\n\r\n`,
      400,
      'MALFORMED_REQUEST',
    ],
    [
      'a chunked body with an invalid chunk size',
      `${post}Transfer-Encoding: chunked\r\n\r\nzz\r\n{}\r\n0\r\n\r\n`,
      400,
      'MALFORMED_REQUEST',
    ],
    ['CONNECT', 'CONNECT 127.0.0.1:1 HTTP/1.1\r\nHost: 127.0.0.1:1\r\n\r\n', 405, 'METHOD_NOT_ALLOWED'],
  ];
}

import { connect } from 'node:net';
import { Agent, type Dispatcher, request } from 'undici';

export interface Answer {
  readonly status: number;
  readonly headers: Record<string, string | string[] | undefined>;
  readonly text: string;
  /** The body parsed as JSON (undefined when it is not JSON). */
  readonly json: unknown;
}

/** An HTTP client for tests, with its own connection pool (closed with `close`). */
export class TestClient {
  readonly agent = new Agent({ keepAliveTimeout: 1_000, connections: 64 });

  async send(
    method: string,
    url: string,
    options: { headers?: Record<string, string>; body?: Dispatcher.DispatchOptions['body'] } = {},
  ): Promise<Answer> {
    const response = await request(url, {
      method: method as Dispatcher.HttpMethod,
      headers: options.headers,
      body: options.body,
      dispatcher: this.agent,
    });
    const text = await response.body.text();
    let json: unknown;
    try {
      json = JSON.parse(text);
    } catch {
      json = undefined;
    }
    return { status: response.statusCode, headers: response.headers, text, json };
  }

  get(url: string, headers?: Record<string, string>): Promise<Answer> {
    return this.send('GET', url, { headers });
  }

  close(): Promise<void> {
    return this.agent.close();
  }
}

/**
 * Sends bytes exactly as given (a request line no HTTP client would write) and reads the
 * answer until the server closes the connection. Send `Connection: close`.
 */
export function rawRequest(port: number, text: string): Promise<Answer & { raw: string }> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    const socket = connect(port, '127.0.0.1', () => socket.write(text));
    socket.on('data', (chunk) => chunks.push(chunk));
    socket.on('error', reject);
    socket.on('close', () => {
      const raw = Buffer.concat(chunks).toString('latin1');
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
      resolve({ status: Number(statusLine.split(' ')[1]), headers, text, json, raw });
    });
  });
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

/** The API's error body, as tests expect it. */
export const errorBodyOf = (statusCode: number, error: string, code: string) => ({
  statusCode,
  error,
  code,
  message: expectAnyString(),
});

const expectAnyString = () => expect.any(String) as unknown as string;

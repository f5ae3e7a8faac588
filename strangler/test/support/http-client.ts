import { Agent, type Dispatcher, request } from 'undici';
import { rawHttp } from '../../../tools/testing/raw-http';

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
/**
 * Bytes written exactly as given on a new connection, read until the server closes it (see
 * `rawHttp` in tools/testing, which the services' tests use too).
 */
export function rawRequest(port: number, text: string): Promise<Answer & { raw: string }> {
  return rawHttp(port, text);
}

/** The API's error body, as tests expect it. */
export const errorBodyOf = (statusCode: number, error: string, code: string) => ({
  statusCode,
  error,
  code,
  message: expectAnyString(),
});

const expectAnyString = () => expect.any(String) as unknown as string;

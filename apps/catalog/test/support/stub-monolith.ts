import { type IncomingMessage, type Server, type ServerResponse, createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { publishEvent } from '../../../../tools/testing/test-streams';

export const STUB_ADMIN = { email: 'admin@example.com', password: 'admin-password' };
const STUB_TOKEN = 'stub-admin-token';

/** A request the stub received. */
export interface StubRequest {
  readonly method: string;
  readonly path: string;
  readonly authorization: string | undefined;
  readonly body: unknown;
}

/**
 * A stand-in for the monolith's two admin routes the rebuild calls: `POST /api/auth/token`
 * (only the admin's credentials) and `POST /api/admin/backfill` (only with that token), which
 * publishes the given snapshot events to the streams, as the monolith's relay would.
 */
export class StubMonolith {
  private constructor(
    private readonly server: Server,
    readonly url: string,
    /** What it was asked, in order. */
    readonly requests: StubRequest[],
  ) {}

  static async start(redisPrefix: string, snapshots: () => readonly Record<string, unknown>[]): Promise<StubMonolith> {
    const requests: StubRequest[] = [];
    const server = createServer((request, response) => {
      void handle(request, response, requests, redisPrefix, snapshots);
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    return new StubMonolith(server, `http://127.0.0.1:${(server.address() as AddressInfo).port}`, requests);
  }

  close(): Promise<void> {
    this.server.closeAllConnections();
    return new Promise((resolve) => this.server.close(() => resolve()));
  }
}

async function handle(
  request: IncomingMessage,
  response: ServerResponse,
  requests: StubRequest[],
  redisPrefix: string,
  snapshots: () => readonly Record<string, unknown>[],
): Promise<void> {
  let raw = '';
  for await (const chunk of request) raw += String(chunk);
  const body: unknown = raw === '' ? undefined : JSON.parse(raw);
  const path = request.url ?? '';
  requests.push({ method: request.method ?? '', path, authorization: request.headers.authorization, body });
  const answer = (status: number, json: unknown) => {
    response.writeHead(status, { 'content-type': 'application/json; charset=utf-8' });
    response.end(JSON.stringify(json));
  };
  if (request.method === 'POST' && path === '/api/auth/token') {
    const { email, password } = (body ?? {}) as { email?: string; password?: string };
    if (email !== STUB_ADMIN.email || password !== STUB_ADMIN.password) {
      return answer(401, {
        statusCode: 401,
        error: 'Unauthorized',
        code: 'INVALID_CREDENTIALS',
        message: 'The email or password is wrong.',
      });
    }
    return answer(200, { accessToken: STUB_TOKEN, tokenType: 'Bearer', expiresIn: 900 });
  }
  if (request.method === 'POST' && path === '/api/admin/backfill') {
    if (request.headers.authorization !== `Bearer ${STUB_TOKEN}`) {
      return answer(401, { statusCode: 401, error: 'Unauthorized', code: 'UNAUTHENTICATED', message: 'No token.' });
    }
    const events = snapshots();
    for (const event of events) await publishEvent(redisPrefix, 'product.snapshot', event);
    return answer(200, { customers: 0, products: events.length });
  }
  return answer(404, { statusCode: 404, error: 'Not Found', code: 'ROUTE_NOT_FOUND', message: 'No route.' });
}

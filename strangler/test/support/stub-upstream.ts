import {
  type IncomingHttpHeaders,
  type IncomingMessage,
  type Server,
  type ServerResponse,
  createServer,
} from 'node:http';
import { type AddressInfo, type Socket, createServer as createNetServer } from 'node:net';

/** A request as a stub upstream saw it. */
export interface SeenRequest {
  readonly method: string;
  readonly url: string;
  readonly headers: IncomingHttpHeaders;
  readonly rawHeaders: readonly string[];
}

export type StubHandler = (req: IncomingMessage, res: ServerResponse, stub: StubUpstream) => void;

/** A real HTTP server on port 0 that plays an upstream; by default it answers with its name. */
export interface StubUpstream {
  readonly name: string;
  readonly url: string;
  readonly port: number;
  readonly server: Server;
  readonly requests: SeenRequest[];
  /** Replaces how it answers from now on. */
  handle(handler: StubHandler): void;
  close(): Promise<void>;
}

/**
 * The default answer: `200` with `{ upstream, method, url, bodyBytes }` and `x-upstream`,
 * after reading (and counting) the request body.
 */
export const answerWithName: StubHandler = (req, res, stub) => {
  let bodyBytes = 0;
  req.on('data', (chunk: Buffer) => (bodyBytes += chunk.length));
  req.on('end', () => {
    const body = JSON.stringify({ upstream: stub.name, method: req.method, url: req.url, bodyBytes });
    res.writeHead(200, {
      'content-type': 'application/json; charset=utf-8',
      'content-length': Buffer.byteLength(body),
      'x-upstream': stub.name,
    });
    res.end(body);
  });
};

export async function startStubUpstream(name: string, handler: StubHandler = answerWithName): Promise<StubUpstream> {
  let current = handler;
  const requests: SeenRequest[] = [];
  const server = createServer({ keepAliveTimeout: 5_000 });
  // Upgraded sockets (WebSocket) are no longer the HTTP server's to close: track them all.
  const sockets = new Set<Socket>();
  server.on('connection', (socket: Socket) => {
    sockets.add(socket);
    socket.once('close', () => sockets.delete(socket));
  });
  const stub: StubUpstream = {
    name,
    url: '',
    port: 0,
    server,
    requests,
    handle: (next) => {
      current = next;
    },
    close: () =>
      new Promise<void>((resolve) => {
        server.close(() => resolve());
        server.closeAllConnections();
        for (const socket of sockets) socket.destroy();
      }),
  };
  server.on('request', (req: IncomingMessage, res: ServerResponse) => {
    requests.push({ method: req.method ?? '', url: req.url ?? '', headers: req.headers, rawHeaders: req.rawHeaders });
    current(req, res, stub);
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const port = (server.address() as AddressInfo).port;
  Object.assign(stub, { port, url: `http://127.0.0.1:${port}` });
  return stub;
}

/** The URL of a port nothing listens on (it was free a moment ago): connections are refused. */
export async function refusingUrl(): Promise<string> {
  const server = createNetServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const port = (server.address() as AddressInfo).port;
  await new Promise<void>((resolve) => server.close(() => resolve()));
  return `http://127.0.0.1:${port}`;
}

export async function closeAll(...closables: ({ close(): Promise<void> } | undefined)[]): Promise<void> {
  await Promise.all(closables.map((closable) => closable?.close()));
}

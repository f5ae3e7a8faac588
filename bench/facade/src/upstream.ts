import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { UpstreamArguments } from './protocol';
import { serveProcess } from './serve';

/** The JSON body the stub upstream answers: an object padded to exactly `bytes` bytes. */
export function upstreamBody(bytes: number): Buffer {
  const base = { id: '7f3c9a2e-5b1d-4e8f-9a6c-2d4b8e1f0a37', status: 'placed', currency: 'EUR', padding: '' };
  const padding = bytes - Buffer.byteLength(JSON.stringify(base));
  if (padding < 0) throw new Error(`the body cannot be smaller than ${bytes - padding} bytes`);
  return Buffer.from(JSON.stringify({ ...base, padding: 'x'.repeat(padding) }));
}

/** The stub upstream, in a process of its own: every request gets the same 1 KiB JSON answer. */
function main(): void {
  const { bodyBytes } = JSON.parse(process.argv[2] ?? '{}') as UpstreamArguments;
  const body = upstreamBody(bodyBytes);
  const headers = { 'content-type': 'application/json', 'content-length': String(body.length) };
  const server = createServer((req, res) => {
    // Drain any request body, then answer.
    req.resume();
    res.writeHead(200, headers);
    res.end(body);
  });
  server.keepAliveTimeout = 60_000;
  serveProcess(
    () =>
      new Promise((resolve, reject) => {
        server.once('error', reject);
        server.listen(0, '127.0.0.1', () =>
          resolve({
            port: (server.address() as AddressInfo).port,
            close: () =>
              new Promise<void>((done) => {
                server.closeAllConnections();
                server.close(() => done());
              }),
          }),
        );
      }),
  );
}

if (require.main === module) main();

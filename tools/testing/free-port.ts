import { type AddressInfo, createServer } from 'node:net';

/** Ports handed out by this test process: the system may offer a closed one again. */
const handedOut = new Set<number>();

/** A TCP port nothing listens on right now, never one this process handed out before. */
export async function freePort(): Promise<number> {
  for (;;) {
    const server = createServer();
    server.unref();
    await new Promise<void>((resolve, reject) => {
      server.once('error', reject);
      server.listen(0, '127.0.0.1', resolve);
    });
    const { port } = server.address() as AddressInfo;
    await new Promise<void>((resolve) => server.close(() => resolve()));
    if (!handedOut.has(port)) {
      handedOut.add(port);
      return port;
    }
  }
}

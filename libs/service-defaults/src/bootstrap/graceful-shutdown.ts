import type { Server } from 'node:http';
import type { INestApplication } from '@nestjs/common';
import { ShutdownState } from '../health/shutdown-state';

const IDLE_SWEEP_MS = 50;

/**
 * Stops the app the way a rolling deploy needs: readiness turns down, the server stops
 * accepting, in-flight requests finish (each keep-alive connection is closed once idle),
 * and after `timeoutMs` the connections still open are cut. Then the app closes (its
 * shutdown hooks close database and Redis connections).
 */
export async function shutDownGracefully(app: INestApplication, timeoutMs: number): Promise<void> {
  app.get(ShutdownState).beginDraining();
  const server = app.getHttpServer() as Server;
  if (server.listening) {
    const closed = new Promise<void>((resolve) => server.close(() => resolve()));
    server.closeIdleConnections();
    const sweep = setInterval(() => server.closeIdleConnections(), IDLE_SWEEP_MS);
    const deadline = setTimeout(() => server.closeAllConnections(), timeoutMs);
    try {
      await closed;
    } finally {
      clearInterval(sweep);
      clearTimeout(deadline);
    }
  }
  await app.close();
}

import type { INestApplication } from '@nestjs/common';
import { Logger } from '@nestjs/common';
import { APP_CONFIG, AppConfig } from '../config/app.config';
import { shutDownGracefully } from './graceful-shutdown';

const SHUTDOWN_SIGNALS = ['SIGTERM', 'SIGINT'] as const;

/**
 * Listens on `HOST`:`PORT` (127.0.0.1 unless `HOST` says otherwise) and shuts down gracefully
 * on SIGTERM, SIGINT, or when the parent process that started it over IPC (the stack launcher)
 * goes away; exits 0 after a clean shutdown, 1 otherwise.
 */
export async function listenHttpService(
  app: INestApplication,
  options: {
    /** Also stopped on shutdown, alongside the app (e.g. a second listener the process runs). */
    alsoStop?: () => Promise<void>;
  } = {},
): Promise<void> {
  const config = app.get<AppConfig>(APP_CONFIG);
  const logger = new Logger('Lifecycle');
  let stopping = false;
  const stop = (reason: string) => {
    if (stopping) return;
    stopping = true;
    logger.log({ reason }, `Shutting down (${reason})`);
    Promise.all([shutDownGracefully(app, config.shutdownTimeoutMs), options.alsoStop?.()]).then(
      () => process.exit(0),
      (error: unknown) => {
        logger.error({ err: error }, 'Shutdown failed');
        process.exit(1);
      },
    );
  };
  for (const signal of SHUTDOWN_SIGNALS) process.once(signal, () => stop(signal));
  if (process.send) process.once('disconnect', () => stop('parent process gone'));

  await app.listen(config.port, config.host);
  const address = app.getHttpServer().address();
  const port = typeof address === 'object' && address ? address.port : config.port;
  const host = typeof address === 'object' && address ? address.address : config.host;
  const shown = host.includes(':') ? `[${host}]` : host;
  logger.log({ port, host, event: 'listening' }, `${config.processName} listening on http://${shown}:${port}`);
}

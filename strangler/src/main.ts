import { Logger } from '@nestjs/common';
import { listenHttpService, runMain } from '@app/service-defaults';
import { STRANGLER_PROCESS_NAME } from './admin';
import { buildStranglerApp } from './strangler-app';

/**
 * The facade: the public data plane on `STRANGLER_HOST`:`STRANGLER_PORT` (every interface by default),
 * the admin plane on `STRANGLER_ADMIN_HOST`:`PORT` (127.0.0.1 by default).
 */
runMain(
  async () => {
    const app = await buildStranglerApp();
    // Every interface unless STRANGLER_HOST says otherwise: the public entry point.
    const address = await app.dataPlane.listen(app.config.port, app.config.host);
    const host = address.family === 'IPv6' ? `[${address.address}]` : address.address;
    new Logger('Lifecycle').log(
      { port: address.port, host: address.address, event: 'listening', plane: 'data' },
      `strangler data plane listening on http://${host}:${address.port}`,
    );
    await listenHttpService(app.admin, { alsoStop: () => app.stopRouting() });
  },
  // Its rules are loaded, and logged, before the admin app (which names the process) is built.
  { processName: STRANGLER_PROCESS_NAME },
);

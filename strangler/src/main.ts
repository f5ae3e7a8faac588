import { Logger } from '@nestjs/common';
import { listenHttpService, runMain } from '@app/service-defaults';
import { STRANGLER_PROCESS_NAME } from './admin';
import { buildStranglerApp } from './strangler-app';

/** The facade: the public data plane on `STRANGLER_PORT`, the admin plane on `PORT`. */
runMain(
  async () => {
    const app = await buildStranglerApp();
    const address = await app.dataPlane.listen(app.config.port);
    new Logger('Lifecycle').log(
      { port: address.port, event: 'listening', plane: 'data' },
      `strangler data plane listening on http://localhost:${address.port}`,
    );
    await listenHttpService(app.admin, { alsoStop: () => app.stopRouting() });
  },
  // Its rules are loaded, and logged, before the admin app (which names the process) is built.
  { processName: STRANGLER_PROCESS_NAME },
);

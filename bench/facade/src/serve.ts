import type { Command, Reply } from './protocol';
import { describeError } from './protocol';

/** What a serving process (upstream or proxy) runs: something listening, closed on `stop`. */
export interface Served {
  readonly port: number;
  readonly detail?: string;
  close(): Promise<void>;
}

/**
 * Runs a serving process: starts it, says `ready` with its port, and on `stop` closes it
 * and exits (normally, so that `--cpu-prof` writes its profile).
 */
export function serveProcess(start: () => Promise<Served>): void {
  const send = (reply: Reply, then: () => void = () => undefined) => process.send?.(reply, then);
  start().then(
    (served) => {
      process.on('message', (command: Command) => {
        if (command.type === 'cpu') {
          const { user, system } = process.cpuUsage();
          send({ type: 'cpu', userUs: user, systemUs: system });
          return;
        }
        if (command.type !== 'stop') return;
        served.close().then(
          () => send({ type: 'stopped' }, () => process.exit(0)),
          (error: unknown) => send({ type: 'failed', error: describeError(error) }, () => process.exit(1)),
        );
      });
      send({ type: 'ready', port: served.port, detail: served.detail });
    },
    (error: unknown) => send({ type: 'failed', error: describeError(error) }, () => process.exit(1)),
  );
  // The coordinator is gone: do not linger.
  process.on('disconnect', () => process.exit(0));
}

/** Listens on a free port of 127.0.0.1 and describes the server as {@link Served}. */
export function listen(
  server: import('node:http').Server,
  detail?: string,
  onClose?: () => Promise<void>,
): Promise<Served> {
  return new Promise((resolve, reject) => {
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const address = server.address() as import('node:net').AddressInfo;
      resolve({
        port: address.port,
        detail,
        close: async () => {
          server.closeAllConnections();
          await new Promise<void>((done) => server.close(() => done()));
          await onClose?.();
        },
      });
    });
  });
}

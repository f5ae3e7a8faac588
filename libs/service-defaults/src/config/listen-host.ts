import { isIP } from 'node:net';
import { z } from 'zod';
import type { EnvVar } from './env-schema';

/** Where a process listens unless told otherwise: this machine only; clients come through the facade. */
export const DEFAULT_HOST = '127.0.0.1';

const ALLOWED =
  'an IP address to listen on: 127.0.0.1 (this machine only), 0.0.0.0 (every IPv4 interface), :: (every interface) or one interface’s address';

const address = z.string().refine((value) => isIP(value) !== 0);

/**
 * The rule of a listen-address variable (`HOST`, `STRANGLER_ADMIN_HOST`): an IPv4 or IPv6 address,
 * never a host name, so that a typo or a host name exported by a shell stops the process at start
 * (`CONFIG_INVALID`) rather than opening it on another interface.
 *
 * @example
 * parseEnv(process.env, { HOST: listenHost(DEFAULT_HOST) });
 */
export function listenHost(defaultHost: string): EnvVar<string> {
  return {
    allowed: `${ALLOWED} (default ${defaultHost})`,
    schema: address.optional().transform((value) => value ?? defaultHost),
  };
}

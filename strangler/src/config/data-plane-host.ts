import { isIP } from 'node:net';
import { z } from 'zod';
import type { EnvVar } from '@app/service-defaults';

/**
 * The rule of `STRANGLER_HOST`, the public data plane's address: an IPv4 or IPv6 address, unset
 * meaning every interface (as Node listens given no address, and as the facade always has), so
 * that the public port stays reachable. A host name is refused at start (`CONFIG_INVALID`).
 */
export const DATA_PLANE_HOST: EnvVar<string | undefined> = {
  allowed:
    'an IP address to listen on: 0.0.0.0 (every IPv4 interface), :: (every interface), 127.0.0.1 (this machine only) or one interface’s address (default: every interface)',
  schema: z
    .string()
    .refine((value) => isIP(value) !== 0)
    .optional(),
};

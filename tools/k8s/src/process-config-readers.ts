/**
 * The configuration areas each process reads and checks at start-up, to run a deployment's
 * environment (a pod's, a compose service's) through them exactly as the process would.
 */
import { authConfig } from '@app/auth';
import { createDatabaseConfig } from '@app/database';
import { idempotencyConfig } from '@app/idempotency';
import { integrationEventsConfig } from '@app/integration-events';
import { outboxConfig } from '@app/outbox';
import { sagasConfig } from '@app/sagas';
import { catalogConfig } from '../../../apps/catalog/src/catalog.config';
import { ordersConfig } from '../../../apps/orders/src/orders.config';
import { customersConfig } from '../../../legacy-monolith/src/customers/customers.config';
import { createAppConfig } from '@app/service-defaults';
import { consistencyConfig } from '../../../strangler/src/config/consistency.config';
import { idempotencyPinsConfig } from '../../../strangler/src/config/idempotency-pins.config';
import { DEFAULT_STRANGLER_ADMIN_HOST, stranglerConfig } from '../../../strangler/src/config/strangler.config';
import { internalPathsConfig } from '../../../strangler/src/data-plane/internal-paths.config';
import { upstreamAllowConfig } from '../../../strangler/src/rules/upstream-allow.config';
import { processNamed } from '../../stack/test/support/deployment-support';
import type { ProcessSpec } from '../../stack/src/processes';

export type Environment = Readonly<Record<string, string>>;
type Reader = () => unknown;

/** Runs `read` with exactly `environment` as `process.env`, as the process would see it in its pod. */
function withExactEnv<T>(environment: Environment, read: () => T): T {
  const saved = { ...process.env };
  const replace = (values: Record<string, string | undefined>) => {
    for (const name of Object.keys(process.env)) delete process.env[name];
    Object.assign(process.env, values);
  };
  replace(environment);
  try {
    return read();
  } finally {
    replace(saved);
  }
}

const appConfig = (spec: ProcessSpec) => {
  const port = spec.ports.find((candidate) => candidate.childVariable === 'PORT')!.defaultPort;
  return spec.name === 'strangler'
    ? createAppConfig(spec.name, port, { variable: 'STRANGLER_ADMIN_HOST', default: DEFAULT_STRANGLER_ADMIN_HOST })
    : createAppConfig(spec.name, port);
};

/** What every process checks: its Nest app (port, host) and the JWT verification. */
const nestApp = (spec: ProcessSpec) => ({ app: appConfig(spec), auth: authConfig });

/** What the monolith and every service check besides: their database, outbox and integration events. */
const withEvents = (spec: ProcessSpec) => ({
  ...nestApp(spec),
  database: createDatabaseConfig(spec.name),
  outbox: outboxConfig,
  events: integrationEventsConfig,
});

/** The configuration areas each process reads and checks at start (its app module and libraries). */
export const READERS: Record<string, (spec: ProcessSpec) => Record<string, Reader>> = {
  'legacy-monolith': (spec) => ({ ...withEvents(spec), idempotency: idempotencyConfig, customers: customersConfig }),
  catalog: (spec) => ({ ...withEvents(spec), catalog: catalogConfig }),
  inventory: withEvents,
  payments: (spec) => ({ ...withEvents(spec), idempotency: idempotencyConfig }),
  orders: (spec) => ({
    ...withEvents(spec),
    idempotency: idempotencyConfig,
    sagas: sagasConfig,
    orders: ordersConfig,
  }),
  strangler: (spec) => ({
    ...nestApp(spec),
    strangler: stranglerConfig,
    consistency: consistencyConfig,
    idempotencyPins: idempotencyPinsConfig,
    internalPaths: internalPathsConfig,
    upstreamAllow: upstreamAllowConfig,
  }),
};

/**
 * Each configuration area of the process of the table with that name, read from `environment`
 * exactly as it reads it at start: its configuration, or the error that would stop the process.
 */
export function readAtStart(processName: string, environment: Environment): Record<string, unknown> {
  const readers = READERS[processName];
  if (!readers) throw new Error(`no configuration readers for ${processName}: add them to READERS`);
  const spec = processNamed(processName);
  return withExactEnv(environment, () =>
    Object.fromEntries(
      Object.entries(readers(spec)).map(([area, read]) => {
        try {
          return [area, read()];
        } catch (error) {
          return [area, { refused: (error as Error).message }];
        }
      }),
    ),
  );
}

/** The areas that refused their configuration: `[area, { refused: message }]`. */
export const refusals = (areas: Record<string, unknown>) =>
  Object.entries(areas).filter(([, value]) => typeof value === 'object' && value !== null && 'refused' in value);

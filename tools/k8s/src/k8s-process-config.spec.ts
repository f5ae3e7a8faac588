import { authConfig } from '@app/auth';
import { createDatabaseConfig } from '@app/database';
import { idempotencyConfig } from '@app/idempotency';
import { integrationEventsConfig } from '@app/integration-events';
import { outboxConfig } from '@app/outbox';
import { sagasConfig } from '@app/sagas';
import { catalogConfig } from '../../../apps/catalog/src/catalog.config';
import { ordersConfig } from '../../../apps/orders/src/orders.config';
import { customersConfig } from '../../../legacy-monolith/src/customers/customers.config';
import { createAppConfig } from '../../../libs/service-defaults/src/config/app.config';
import { consistencyConfig } from '../../../strangler/src/config/consistency.config';
import { idempotencyPinsConfig } from '../../../strangler/src/config/idempotency-pins.config';
import { DEFAULT_STRANGLER_ADMIN_HOST, stranglerConfig } from '../../../strangler/src/config/strangler.config';
import { internalPathsConfig } from '../../../strangler/src/data-plane/internal-paths.config';
import { upstreamAllowConfig } from '../../../strangler/src/rules/upstream-allow.config';
import { PROCESSES, type ProcessSpec } from '../../stack/src/processes';
import { containerOf, environmentOf, named, valuesOf } from './k8s-object';
import { rendered } from './renders';

/** The overlay whose Secrets have values: the prod overlay gives the same variables from the same places. */
const DEV = 'k8s/overlays/dev';

type Environment = Readonly<Record<string, string>>;
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

/** The configuration areas each process reads and checks at start (its app module and libraries). */
const READERS: Record<string, (spec: ProcessSpec) => Record<string, Reader>> = {
  'legacy-monolith': (spec) => ({
    app: appConfig(spec),
    auth: authConfig,
    database: createDatabaseConfig(spec.name),
    outbox: outboxConfig,
    events: integrationEventsConfig,
    idempotency: idempotencyConfig,
    customers: customersConfig,
  }),
  catalog: (spec) => ({
    app: appConfig(spec),
    auth: authConfig,
    database: createDatabaseConfig(spec.name),
    outbox: outboxConfig,
    events: integrationEventsConfig,
    catalog: catalogConfig,
  }),
  inventory: (spec) => ({
    app: appConfig(spec),
    auth: authConfig,
    database: createDatabaseConfig(spec.name),
    outbox: outboxConfig,
    events: integrationEventsConfig,
  }),
  payments: (spec) => ({
    app: appConfig(spec),
    auth: authConfig,
    database: createDatabaseConfig(spec.name),
    outbox: outboxConfig,
    events: integrationEventsConfig,
    idempotency: idempotencyConfig,
  }),
  orders: (spec) => ({
    app: appConfig(spec),
    auth: authConfig,
    database: createDatabaseConfig(spec.name),
    outbox: outboxConfig,
    events: integrationEventsConfig,
    idempotency: idempotencyConfig,
    sagas: sagasConfig,
    orders: ordersConfig,
  }),
  strangler: (spec) => ({
    app: appConfig(spec),
    auth: authConfig,
    strangler: stranglerConfig,
    consistency: consistencyConfig,
    idempotencyPins: idempotencyPinsConfig,
    internalPaths: internalPathsConfig,
    upstreamAllow: upstreamAllowConfig,
  }),
};

/** Each area read from `environment`: its configuration, or the error that would stop the process. */
function readAll(readers: Record<string, Reader>, environment: Environment): Record<string, unknown> {
  return withExactEnv(environment, () =>
    Object.fromEntries(
      Object.entries(readers).map(([area, read]) => {
        try {
          return [area, read()];
        } catch (error) {
          return [area, { refused: (error as Error).message }];
        }
      }),
    ),
  );
}

const refusals = (areas: Record<string, unknown>) =>
  Object.entries(areas).filter(([, value]) => typeof value === 'object' && value !== null && 'refused' in value);

const environmentOfDeployment = (name: string): Environment => {
  const objects = rendered(DEV);
  return valuesOf(environmentOf(objects, containerOf(named(objects, 'Deployment', name))));
};

describe('the environment of every container (k8s/overlays/dev) against its process’s own checks', () => {
  it('knows the checks of every process of the table', () => {
    expect(Object.keys(READERS).sort()).toEqual(PROCESSES.map((spec) => spec.name).sort());
  });

  it.each(PROCESSES.map((spec) => [spec.name, spec] as const))('%s starts with it', (name, spec) => {
    const environment = environmentOfDeployment(name);
    const areas = readAll(READERS[name]!(spec), environment);
    expect(refusals(areas)).toEqual([]);
    expect(areas.app).toMatchObject({ nodeEnv: 'production', host: '0.0.0.0' });
    expect(areas.auth).toMatchObject({ usingDevelopmentSecret: false });
    if (spec.database) expect(areas.database).toMatchObject({ kind: 'postgres' });
    if (spec.needsRedis && areas.events) {
      expect(areas.events).toMatchObject({ redisUrl: environment.REDIS_URL, redisPrefix: environment.REDIS_PREFIX });
    }
  });

  it('strangler: both planes on the pod’s address, its tokens, its rules file and history where mounted', () => {
    const areas = readAll(
      READERS.strangler!(PROCESSES.find((spec) => spec.name === 'strangler')!),
      environmentOfDeployment('strangler'),
    );
    expect(areas.strangler).toMatchObject({
      port: 8080,
      host: '0.0.0.0',
      rulesFile: '/etc/ficus/rules/rules.yaml',
      historyDir: '/app/data/strangler',
    });
    const tokens = (areas.strangler as { adminTokens: { name: string; role: string }[] }).adminTokens;
    expect(tokens.map(({ name, role }) => `${name}:${role}`)).toEqual(['admin:operator', 'metrics:read-only']);
    expect(areas.app).toMatchObject({ port: 8081, host: '0.0.0.0' });
  });

  it('the monolith’s backfill Job starts with its environment', () => {
    const objects = rendered(DEV);
    const job = named(objects, 'Job', 'legacy-monolith-backfill');
    const environment = valuesOf(environmentOf(objects, containerOf(job, 'backfill')));
    const spec = PROCESSES.find((candidate) => candidate.name === 'legacy-monolith')!;
    expect(refusals(readAll(READERS['legacy-monolith']!(spec), environment))).toEqual([]);
  });

  // The checks can fail: without a secret the processes require in production, they refuse to start.
  it.each([
    ['legacy-monolith', ['ADMIN_PASSWORD'], 'customers'],
    ['catalog', ['JWT_SECRET'], 'auth'],
    ['strangler', ['STRANGLER_ADMIN_TOKEN', 'STRANGLER_ADMIN_TOKENS'], 'strangler'],
  ])('%s without %j is refused (%s)', (name, variables, area) => {
    const spec = PROCESSES.find((candidate) => candidate.name === name)!;
    const environment = Object.fromEntries(
      Object.entries(environmentOfDeployment(name)).filter(([variable]) => !variables.includes(variable)),
    );
    expect(refusals(readAll(READERS[name]!(spec), environment)).map(([refused]) => refused)).toEqual([area]);
  });
});

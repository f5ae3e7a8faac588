import { join } from 'node:path';

/** One port a process listens on. */
export interface PortSpec {
  /** What listens there (`http`, `admin`); links and readiness name a port by it. */
  readonly role: string;
  /** The launcher's variable that overrides the port, e.g. `LEGACY_PORT`. */
  readonly variable: string;
  readonly defaultPort: number;
  /** The variable the child reads this port from, e.g. `PORT`. */
  readonly childVariable: string;
}

/** A URL worth showing in the summary, e.g. the API docs. */
export interface LinkSpec {
  readonly label: string;
  /** Role of the port it is served on; default `http`. */
  readonly port?: string;
  readonly path: string;
}

/** Where a process keeps its data: the launcher gives the child `DATABASE_URL` from its own variable. */
export interface DatabaseSpec {
  /** The launcher's variable that names this process's database, e.g. `CATALOG_DATABASE_URL`. */
  readonly variable: string;
  /** Launcher variables read, in order, when `variable` is unset (the monolith's `DATABASE_URL`). */
  readonly fallbacks?: readonly string[];
  /** Used when none is set: a SQLite file of that name in the stack's data folder, e.g. `catalog.sqlite`. */
  readonly defaultFile: string;
}

/** A one-shot command a row runs once its process is ready, before the later rows start. */
export interface StepSpec {
  /** Its output lines are prefixed with it, e.g. `backfill`. */
  readonly name: string;
  /** The compiled entry point, relative to the repository root; it runs with the row's environment. */
  readonly entry: string;
  /** What it is for, in the launcher's log: `publishes a snapshot of every customer and product`. */
  readonly purpose: string;
  /** How long it may run before the stack gives up on it; default {@link DEFAULT_STEP_TIMEOUT_MS}. */
  readonly timeoutMs?: number;
}

/** Where, in the data folder, the facade keeps its copy of the rules' history and audit. */
export const STRANGLER_HISTORY_FOLDER = 'strangler';

/** The history folder of facade instance `instance`: `strangler`, then `strangler-2`, `strangler-3`, … */
export function stranglerHistoryFolder(instance: number): string {
  return instance === 1 ? STRANGLER_HISTORY_FOLDER : `${STRANGLER_HISTORY_FOLDER}-${instance}`;
}

/** Whether a folder of the data folder is a facade instance's history folder ({@link stranglerHistoryFolder}). */
export function isStranglerHistoryFolder(name: string): boolean {
  return name === STRANGLER_HISTORY_FOLDER || new RegExp(`^${STRANGLER_HISTORY_FOLDER}-[1-9]\\d*$`).test(name);
}

/** How long a one-shot step may take by default (the monolith's backfill gives up after 60 s). */
export const DEFAULT_STEP_TIMEOUT_MS = 120_000;

/** What a row's `env` function can use to point a process at the others. */
export interface StackContext {
  /** The port of a process in this stack (its first instance's), by process name and port role (default `http`). */
  portOf(processName: string, role?: string): number;
  /** The ports of every instance of a process (one, unless `STACK_REPLICAS` runs more). */
  portsOf(processName: string, role?: string): readonly number[];
  /** Which instance of the row the environment is for: 1, or up to its `STACK_REPLICAS` count. */
  readonly instance: number;
  readonly redisUrl: string;
  /** The facade's admin token: the same across restarts on one data folder (`stack-state.ts`). */
  readonly adminToken: string;
  /** The stack's data folder (absolute). */
  readonly dataDir: string;
}

/** A row of the stack: how to start one process and how to tell it is ready. */
export interface ProcessSpec {
  readonly name: string;
  /** The compiled entry point, relative to the repository root. */
  readonly entry: string;
  /** The first port is the process's main address in the summary. */
  readonly ports: readonly [PortSpec, ...PortSpec[]];
  /** `GET http://127.0.0.1:<port><path>` answers 200 once the process can take traffic. */
  readonly readiness: { readonly port?: string; readonly path: string };
  /** Whether it needs a Redis at `REDIS_URL` before it starts. */
  readonly needsRedis: boolean;
  readonly links?: readonly LinkSpec[];
  /** Its own database: the child's `DATABASE_URL` comes from this, never from the launcher's `DATABASE_URL` alone. */
  readonly database?: DatabaseSpec;
  /**
   * Run once the process (and every row before it) is ready; the rows after it start only when it
   * has exited 0. A failure stops the stack. Running it on every start must be harmless.
   */
  readonly afterReady?: StepSpec;
  /** Extra environment for the child, on top of the launcher's own and its port variables. */
  readonly env?: (stack: StackContext) => Readonly<Record<string, string>>;
  /**
   * Variables for the commands run beside the stack (`npm run -s strangler -- …`), written to the
   * data folder's `stack.env` at each start, e.g. where the admin API listens.
   */
  readonly sharedEnv?: (stack: StackContext) => Readonly<Record<string, string>>;
}

export const DEFAULT_PORT_ROLE = 'http';

/**
 * Where the processes behind the facade listen in the stack, and its admin plane: this machine
 * only, whatever `HOST` the launcher's shell may export. Clients go through the facade's data
 * plane, which listens on every interface unless `STRANGLER_HOST` says otherwise.
 */
export const STACK_INTERNAL_HOST = '127.0.0.1';

const internal = () => ({ HOST: STACK_INTERNAL_HOST });

/** Every instance of a process, as an upstream the facade balances over (`http://…:3003,http://…:3103`). */
const local = (stack: StackContext, processName: string) =>
  stack
    .portsOf(processName)
    .map((port) => `http://127.0.0.1:${port}`)
    .join(',');

/** An extracted service: a Nest app on its own port and database that builds its data from the monolith's events. */
function service(name: string, portVariable: string, defaultPort: number): ProcessSpec {
  return {
    name,
    entry: `dist/apps/${name}/src/main.js`,
    ports: [{ role: DEFAULT_PORT_ROLE, variable: portVariable, defaultPort, childVariable: 'PORT' }],
    readiness: { path: '/health/ready' },
    // Its outbox publishes, and its consumer reads, integration events on Redis streams.
    needsRedis: true,
    database: { variable: `${name.toUpperCase()}_DATABASE_URL`, defaultFile: `${name}.sqlite` },
    links: [{ label: 'API docs', path: '/api-docs' }],
    env: internal,
  };
}

/**
 * The processes `npm start` runs, started in this order (a row's `afterReady` step runs before the
 * rows after it start). A new service joins by adding a row, e.g.
 *
 * @example
 * {
 *   name: 'strangler',
 *   entry: 'dist/strangler/src/main.js',
 *   ports: [
 *     { role: 'http', variable: 'STRANGLER_PORT', defaultPort: 8080, childVariable: 'PORT' },
 *     { role: 'admin', variable: 'STRANGLER_ADMIN_PORT', defaultPort: 8081, childVariable: 'ADMIN_PORT' },
 *   ],
 *   readiness: { port: 'admin', path: '/health/ready' },
 *   needsRedis: true,
 *   links: [{ label: 'dashboard', port: 'admin', path: '/' }],
 *   env: (stack) => ({ LEGACY_URL: `http://127.0.0.1:${stack.portOf('legacy-monolith')}` }),
 * }
 */
export const PROCESSES: readonly ProcessSpec[] = [
  {
    name: 'legacy-monolith',
    entry: 'dist/legacy-monolith/src/main.js',
    ports: [{ role: DEFAULT_PORT_ROLE, variable: 'LEGACY_PORT', defaultPort: 3000, childVariable: 'PORT' }],
    readiness: { path: '/health/ready' },
    // Its outbox publishes, and its consumer reads, integration events on Redis streams.
    needsRedis: true,
    database: {
      variable: 'LEGACY_DATABASE_URL',
      fallbacks: ['DATABASE_URL'],
      defaultFile: 'legacy-monolith.sqlite',
    },
    // The services start from nothing: a snapshot of every customer and product lets them build
    // their data; consumers skip snapshots older than what they have, so every start may run it.
    afterReady: {
      name: 'backfill',
      entry: 'dist/legacy-monolith/src/backfill/backfill.main.js',
      purpose: 'publishes a snapshot of every customer and product for the services',
    },
    links: [{ label: 'API docs', path: '/api-docs' }],
    env: internal,
  },
  service('catalog', 'CATALOG_PORT', 3001),
  service('inventory', 'INVENTORY_PORT', 3004),
  service('payments', 'PAYMENTS_PORT', 3003),
  // After inventory and payments, whose commands its sagas send.
  service('orders', 'ORDERS_PORT', 3002),
  {
    name: 'strangler',
    entry: 'dist/strangler/src/main.js',
    ports: [
      { role: DEFAULT_PORT_ROLE, variable: 'STRANGLER_PORT', defaultPort: 8080, childVariable: 'STRANGLER_PORT' },
      { role: 'admin', variable: 'STRANGLER_ADMIN_PORT', defaultPort: 8081, childVariable: 'PORT' },
    ],
    // Readiness needs the admin token; liveness answers once the rules are loaded and both planes listen.
    readiness: { port: 'admin', path: '/health/live' },
    needsRedis: true,
    // The upstreams of the rules files (strangler/rules/*.yaml), at this stack's ports.
    env: (stack) => ({
      STRANGLER_UPSTREAM_LEGACY_URL: local(stack, 'legacy-monolith'),
      STRANGLER_UPSTREAM_CATALOG_URL: local(stack, 'catalog'),
      STRANGLER_UPSTREAM_INVENTORY_URL: local(stack, 'inventory'),
      STRANGLER_UPSTREAM_PAYMENTS_URL: local(stack, 'payments'),
      STRANGLER_UPSTREAM_ORDERS_URL: local(stack, 'orders'),
      // The facade's `admin` operator token (STRANGLER_ADMIN_TOKENS may add named ones).
      STRANGLER_ADMIN_TOKEN: stack.adminToken,
      STRANGLER_ADMIN_HOST: STACK_INTERNAL_HOST,
      // Its copy of the rules' history and audit, kept with the stack's other data (one per instance).
      STRANGLER_HISTORY_DIR: join(stack.dataDir, stranglerHistoryFolder(stack.instance)),
    }),
    // The CLI finds the admin API of this start without being told (the first facade's: all share one store).
    sharedEnv: (stack) => ({ STRANGLER_ADMIN_URL: `http://127.0.0.1:${stack.portOf('strangler', 'admin')}` }),
  },
];

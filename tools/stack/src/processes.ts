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

/** What a row's `env` function can use to point a process at the others. */
export interface StackContext {
  /** The port of a process in this stack (as configured), by process name and port role (default `http`). */
  portOf(processName: string, role?: string): number;
  readonly redisUrl: string;
  /** The facade's admin token for this run. */
  readonly adminToken: string;
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
  /** Extra environment for the child, on top of the launcher's own and its port variables. */
  readonly env?: (stack: StackContext) => Readonly<Record<string, string>>;
}

export const DEFAULT_PORT_ROLE = 'http';

/**
 * The processes `npm start` runs, started in this order. A new service joins by adding a row, e.g.
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
    links: [{ label: 'API docs', path: '/api-docs' }],
  },
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
    env: (stack) => ({
      STRANGLER_UPSTREAM_LEGACY_URL: `http://127.0.0.1:${stack.portOf('legacy-monolith')}`,
      STRANGLER_ADMIN_TOKEN: stack.adminToken,
    }),
  },
];

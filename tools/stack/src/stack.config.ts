import { join } from 'node:path';
import { DEFAULT_PORT_ROLE, ProcessSpec } from './processes';
import { StackError } from './stack-errors';
import { instancePorts, parseReplicas } from './replicas';

export const DEFAULT_REDIS_URL = 'redis://127.0.0.1:6379';
export const DEFAULT_READY_TIMEOUT_MS = 60_000;
export const DEFAULT_STOP_TIMEOUT_MS = 15_000;
/** How many times a process that dies after it was ready is started again before the stack gives up. */
export const DEFAULT_MAX_RESTARTS = 5;
/** Where the stack keeps its SQLite databases and its state file, relative to the repository root. */
export const DEFAULT_DATA_DIR = 'data';
/** What the services' `DATABASE_URL` accepts (`libs/database`). */
const DATABASE_URL_PATTERN = /^(sqlite:.+|postgres(ql)?:\/\/.+)$/;
/** A database only its process sees, so any number of processes may use it. */
const PRIVATE_DATABASE_URL = 'sqlite::memory:';

type EnvSource = Readonly<Record<string, string | undefined>>;

export interface StackConfig {
  /** Port of each process's first instance by role: `ports['legacy-monolith'].http`. */
  readonly ports: Readonly<Record<string, Readonly<Record<string, number>>>>;
  /** How many instances of each process run (`STACK_REPLICAS`; 1 unless listed there). */
  readonly replicas: Readonly<Record<string, number>>;
  /** The ports of every instance, by process and role: `instancePorts.payments.http[1]` is the second's. */
  readonly instancePorts: Readonly<Record<string, Readonly<Record<string, readonly number[]>>>>;
  readonly redisUrl: string;
  /** How long each process may take to answer its readiness URL (`STACK_READY_TIMEOUT_MS`). */
  readonly readyTimeoutMs: number;
  /** How long each process may take to exit after SIGTERM before it is killed (`STACK_STOP_TIMEOUT_MS`). */
  readonly stopTimeoutMs: number;
  /**
   * How many times each process (and a Redis the launcher started) that dies after it was ready
   * is started again, with a growing delay, before the stack stops (`STACK_MAX_RESTARTS`; 0: never).
   */
  readonly maxRestarts: number;
  /** Where to look for `redis-server` (`PATH`). */
  readonly searchPath: string;
  /** The launcher's environment, passed on to every child (each child's `DATABASE_URL` is set apart). */
  readonly childEnv: EnvSource;
  /** Each process's own database (`DATABASE_URL` of the child), by process name, for rows with a database. */
  readonly databaseUrls: Readonly<Record<string, string>>;
  /**
   * The folder of the default SQLite databases and of the stack's state file (`STACK_DATA_DIR`),
   * relative to the repository root unless absolute.
   */
  readonly dataDir: string;
  /** `REDIS_PREFIX` when set; otherwise the data folder's own prefix is used (`stack-state.ts`). */
  readonly redisPrefix: string | undefined;
  /** `STRANGLER_ADMIN_TOKEN` when set; otherwise the data folder's own token is used. */
  readonly adminToken: string | undefined;
}

/**
 * Reads the launcher's configuration from its environment: one port variable per process
 * port (`LEGACY_PORT`, …), one database variable per process with a database
 * (`LEGACY_DATABASE_URL`, falling back to `DATABASE_URL`; `CATALOG_DATABASE_URL`, …), `REDIS_URL`,
 * `REDIS_PREFIX`, `STRANGLER_ADMIN_TOKEN`, `STACK_DATA_DIR`, `STACK_READY_TIMEOUT_MS`, `STACK_STOP_TIMEOUT_MS`, `STACK_MAX_RESTARTS`,
 * `STACK_REPLICAS` (how many instances of each process; a port variable may then list one port per instance). Throws a {@link StackError} that names every
 * bad variable.
 */
export function loadStackConfig(source: EnvSource, processes: readonly ProcessSpec[]): StackConfig {
  const problems: string[] = [];
  const integer = (name: string, min: number, max: number, fallback: number): number => {
    const raw = source[name]?.trim();
    if (raw === undefined || raw === '') return fallback;
    const value = /^\d+$/.test(raw) ? Number(raw) : NaN;
    if (Number.isInteger(value) && value >= min && value <= max) return value;
    problems.push(
      `${name} is ${JSON.stringify(source[name])}; allowed: an integer from ${min} to ${max} (default ${fallback})`,
    );
    return fallback;
  };

  const replicas = parseReplicas(
    source.STACK_REPLICAS,
    processes.map((spec) => spec.name),
    problems,
  );
  const ports: Record<string, Record<string, number>> = {};
  const everyInstance: Record<string, Record<string, number[]>> = {};
  const owners = new Map<number, string>();
  for (const spec of processes) {
    ports[spec.name] = {};
    everyInstance[spec.name] = {};
    for (const port of spec.ports) {
      const count = replicas[spec.name]!;
      const values = instancePorts(port.variable, source[port.variable], port.defaultPort, count, problems);
      ports[spec.name][port.role] = values[0] as number;
      everyInstance[spec.name][port.role] = values;
      values.forEach((value, index) => {
        const name = count > 1 ? `${port.variable} (instance ${index + 1})` : port.variable;
        const owner = owners.get(value);
        if (owner) problems.push(`${name} is ${value}, the same port as ${owner}; give each port its own value`);
        else owners.set(value, name);
      });
    }
  }

  const dataDir = source.STACK_DATA_DIR?.trim() || DEFAULT_DATA_DIR;
  const databaseUrls: Record<string, string> = {};
  const databaseOwners = new Map<string, string>();
  for (const spec of processes) {
    if (!spec.database) continue;
    const { variable, fallbacks = [], defaultFile } = spec.database;
    const defaultUrl = `sqlite:${join(dataDir, defaultFile)}`;
    const from = [variable, ...fallbacks].find((name) => source[name]?.trim());
    const url = from ? (source[from] as string).trim() : defaultUrl;
    const named = from ?? `${variable} (default)`;
    databaseUrls[spec.name] = url;
    if (!DATABASE_URL_PATTERN.test(url)) {
      problems.push(
        `${from} is ${JSON.stringify(source[from as string])}; allowed: sqlite:<file path>, sqlite::memory: or ` +
          `postgres://user@host:port/database (default ${defaultUrl})`,
      );
      continue;
    }
    if (url === PRIVATE_DATABASE_URL && replicas[spec.name]! > 1) {
      problems.push(
        `${named} is ${url}, but STACK_REPLICAS runs ${replicas[spec.name]} instances of ${spec.name}, which share ` +
          `its database; give it a file or a PostgreSQL database`,
      );
    }
    const owner = databaseOwners.get(url);
    if (owner && url !== PRIVATE_DATABASE_URL) {
      problems.push(`${named} is ${url}, the same database as ${owner}; give each process its own database`);
    } else databaseOwners.set(url, named);
  }

  const config: StackConfig = {
    ports,
    replicas,
    instancePorts: everyInstance,
    redisUrl: source.REDIS_URL?.trim() || DEFAULT_REDIS_URL,
    readyTimeoutMs: integer('STACK_READY_TIMEOUT_MS', 1, 3_600_000, DEFAULT_READY_TIMEOUT_MS),
    stopTimeoutMs: integer('STACK_STOP_TIMEOUT_MS', 1, 600_000, DEFAULT_STOP_TIMEOUT_MS),
    maxRestarts: integer('STACK_MAX_RESTARTS', 0, 1_000, DEFAULT_MAX_RESTARTS),
    searchPath: source.PATH ?? '',
    childEnv: source,
    databaseUrls,
    dataDir,
    redisPrefix: source.REDIS_PREFIX || undefined,
    adminToken: source.STRANGLER_ADMIN_TOKEN || undefined,
  };
  if (problems.length > 0) {
    throw new StackError(
      'STACK_CONFIG_INVALID',
      `Invalid configuration:\n${problems.map((p) => `  - ${p}`).join('\n')}`,
    );
  }
  return config;
}

/** {@link loadStackConfig} from the launcher's own environment. */
export function loadStackConfigFromEnvironment(processes: readonly ProcessSpec[]): StackConfig {
  return loadStackConfig(process.env, processes);
}

/** The port of `processName` with the given role, as configured: its first instance's, or instance `instance` (1-based). */
export function portOf(
  config: StackConfig,
  processName: string,
  role: string = DEFAULT_PORT_ROLE,
  instance = 1,
): number {
  const port = portsOf(config, processName, role)[instance - 1];
  if (port === undefined) throw new Error(`The stack has no instance ${instance} of "${processName}"`);
  return port;
}

/** How many instances of `processName` run (`STACK_REPLICAS`). */
export function replicasOf(config: StackConfig, processName: string): number {
  return config.replicas[processName] ?? 1;
}

/** The ports of every instance of `processName` with the given role. */
export function portsOf(config: StackConfig, processName: string, role: string = DEFAULT_PORT_ROLE): readonly number[] {
  const ports = config.instancePorts[processName]?.[role];
  if (ports === undefined) throw new Error(`The stack has no port "${role}" for a process named "${processName}"`);
  return ports;
}

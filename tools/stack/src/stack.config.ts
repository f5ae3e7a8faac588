import { randomBytes } from 'node:crypto';
import { DEFAULT_PORT_ROLE, ProcessSpec } from './processes';
import { StackError } from './stack-errors';

export const DEFAULT_REDIS_URL = 'redis://127.0.0.1:6379';
export const DEFAULT_READY_TIMEOUT_MS = 60_000;
export const DEFAULT_STOP_TIMEOUT_MS = 15_000;

type EnvSource = Readonly<Record<string, string | undefined>>;

export interface StackConfig {
  /** Port of each process by role: `ports['legacy-monolith'].http`. */
  readonly ports: Readonly<Record<string, Readonly<Record<string, number>>>>;
  readonly redisUrl: string;
  /** How long each process may take to answer its readiness URL (`STACK_READY_TIMEOUT_MS`). */
  readonly readyTimeoutMs: number;
  /** How long each process may take to exit after SIGTERM before it is killed (`STACK_STOP_TIMEOUT_MS`). */
  readonly stopTimeoutMs: number;
  /** Where to look for `redis-server` (`PATH`). */
  readonly searchPath: string;
  /** The launcher's environment, passed on to every child. */
  readonly childEnv: EnvSource;
  /** The facade's admin token: `STRANGLER_ADMIN_TOKEN`, or one made up for this run. */
  readonly adminToken: string;
  /** Whether the admin token was made up (the summary then shows it). */
  readonly adminTokenGenerated: boolean;
}

/**
 * Reads the launcher's configuration from its environment: one port variable per process
 * port (`LEGACY_PORT`, …), `REDIS_URL`, `STACK_READY_TIMEOUT_MS`, `STACK_STOP_TIMEOUT_MS`.
 * Throws a {@link StackError} that names every bad variable.
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

  const ports: Record<string, Record<string, number>> = {};
  const owners = new Map<number, string>();
  for (const spec of processes) {
    ports[spec.name] = {};
    for (const port of spec.ports) {
      const value = integer(port.variable, 1, 65_535, port.defaultPort);
      ports[spec.name][port.role] = value;
      const owner = owners.get(value);
      if (owner) problems.push(`${port.variable} is ${value}, the same port as ${owner}; give each port its own value`);
      else owners.set(value, port.variable);
    }
  }

  const config: StackConfig = {
    ports,
    redisUrl: source.REDIS_URL?.trim() || DEFAULT_REDIS_URL,
    readyTimeoutMs: integer('STACK_READY_TIMEOUT_MS', 1, 3_600_000, DEFAULT_READY_TIMEOUT_MS),
    stopTimeoutMs: integer('STACK_STOP_TIMEOUT_MS', 1, 600_000, DEFAULT_STOP_TIMEOUT_MS),
    searchPath: source.PATH ?? '',
    childEnv: source,
    adminToken: source.STRANGLER_ADMIN_TOKEN || randomBytes(16).toString('hex'),
    adminTokenGenerated: !source.STRANGLER_ADMIN_TOKEN,
  };
  if (problems.length > 0) {
    throw new StackError(
      'STACK_CONFIG_INVALID',
      `Invalid configuration:\n${problems.map((p) => `  - ${p}`).join('\n')}`,
    );
  }
  return config;
}

/** The port of `processName` with the given role, as configured. */
export function portOf(config: StackConfig, processName: string, role: string = DEFAULT_PORT_ROLE): number {
  const port = config.ports[processName]?.[role];
  if (port === undefined) throw new Error(`The stack has no port "${role}" for a process named "${processName}"`);
  return port;
}

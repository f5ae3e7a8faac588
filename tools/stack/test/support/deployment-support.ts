/**
 * What the checks of the deployments (docker/compose.yaml here, k8s/ in tools/k8s) share: the
 * launcher's table with every process at its default ports, as a deployment runs it, and the compose
 * file as `docker compose` reads it.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { parse } from 'yaml';
import { DEFAULT_PORT_ROLE, PROCESSES, type PortSpec, type ProcessSpec, type StackContext } from '../../src/processes';
import { findRepositoryRoot } from '../../src/repository-root';

/** The row of the table with that name; throws for a name the table does not have. */
export function processNamed(name: string): ProcessSpec {
  const spec = PROCESSES.find((candidate) => candidate.name === name);
  if (!spec) throw new Error(`the table of processes has no ${name}`);
  return spec;
}

/** A row's port of that role (default `http`); throws when it has none. */
export function tablePort(spec: ProcessSpec, role = DEFAULT_PORT_ROLE): PortSpec {
  const port = spec.ports.find((candidate) => candidate.role === role);
  if (!port) throw new Error(`${spec.name} has no ${role} port`);
  return port;
}

/**
 * The launcher's context for one instance of each process at its table port, with Redis at `redis`:
 * what a row's `env` gives a deployment, whose variable names (not its loopback addresses) matter.
 */
export function deployedContext(): StackContext {
  const portOf = (name: string, role?: string) => tablePort(processNamed(name), role).defaultPort;
  return {
    portOf,
    portsOf: (name, role) => [portOf(name, role)],
    instance: 1,
    redisUrl: 'redis://redis:6379',
    adminToken: 'a token',
    dataDir: '/app/data',
  };
}

/** docker/compose.yaml. */
export const COMPOSE_FILE = join(findRepositoryRoot(__dirname), 'docker/compose.yaml');

/** A service of docker/compose.yaml, as far as the checks read it. */
export interface ComposeService {
  readonly command?: readonly string[];
  readonly environment?: Readonly<Record<string, string>>;
  readonly healthcheck?: { readonly test: readonly string[] };
  readonly depends_on?: Readonly<Record<string, { readonly condition: string }>>;
  readonly ports?: readonly string[];
  readonly restart?: string;
}

type Environment = Readonly<Record<string, string | undefined>>;

// `$$`, `${NAME}`, `${NAME:-default}` and the other modifiers, `$NAME` (no nesting in defaults).
const VARIABLE = /\$\$|\$\{([A-Za-z_][A-Za-z0-9_]*)(?:(:?[-?+])([^}]*))?\}|\$([A-Za-z_][A-Za-z0-9_]*)/g;

function interpolateText(text: string, environment: Environment): string {
  return text.replace(VARIABLE, (match, braced?: string, modifier?: string, argument = '', bare?: string) => {
    if (match === '$$') return '$';
    const name = (braced ?? bare)!;
    const value = environment[name];
    const set = modifier?.startsWith(':') ? Boolean(value) : value !== undefined;
    switch (modifier?.replace(':', '')) {
      case '-':
        return set ? value! : argument;
      case '+':
        return set ? argument : '';
      case '?':
        if (!set) throw new Error(`${name} is required: ${argument}`);
        return value!;
      default:
        return value ?? '';
    }
  });
}

/** Every string value of a compose document with its variables replaced, as `docker compose` does. */
export function interpolate(value: unknown, environment: Environment = {}): unknown {
  if (typeof value === 'string') return interpolateText(value, environment);
  if (Array.isArray(value)) return value.map((item) => interpolate(item, environment));
  if (value && typeof value === 'object') {
    return Object.fromEntries(Object.entries(value).map(([key, item]) => [key, interpolate(item, environment)]));
  }
  return value;
}

/**
 * A compose file (docker/compose.yaml unless told) as `docker compose` reads it: YAML with merge
 * keys, interpolated from `environment`; by default nothing is set on the host (no `.env`), so that
 * `${NAME:-default}` is its default and `${NAME}` empty.
 */
export function readComposeFile(path = COMPOSE_FILE, environment: Environment = {}): unknown {
  return interpolate(parse(readFileSync(path, 'utf8'), { merge: true }), environment);
}

/** The services of docker/compose.yaml as `docker compose up` gives them with nothing set on the host. */
export const composeServices = (): Readonly<Record<string, ComposeService>> =>
  (readComposeFile() as { services: Record<string, ComposeService> }).services;

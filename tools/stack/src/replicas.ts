/** The most instances `STACK_REPLICAS` may ask of one process. */
export const MAX_REPLICAS = 16;
/** Instance n of a process listens on its port + (n − 1) × this, unless its port variable lists every instance's port. */
export const REPLICA_PORT_STEP = 100;

/**
 * How many instances of each process to run, from `STACK_REPLICAS` (`strangler=2,payments=2`):
 * every process of `names`, 1 unless listed. Adds a line to `problems` for each bad entry.
 */
export function parseReplicas(
  raw: string | undefined,
  names: readonly string[],
  problems: string[],
): Record<string, number> {
  const replicas: Record<string, number> = Object.fromEntries(names.map((name) => [name, 1]));
  const value = raw?.trim();
  if (!value) return replicas;
  const seen = new Set<string>();
  for (const entry of value.split(',').map((part) => part.trim())) {
    const match = /^([a-z0-9-]+)=(\d+)$/.exec(entry);
    const name = match?.[1];
    const count = Number(match?.[2]);
    if (!match || !name) {
      problems.push(
        `STACK_REPLICAS has ${JSON.stringify(entry)}; allowed: process=count pairs separated by commas, ` +
          `e.g. strangler=2,payments=2 (default: one of each)`,
      );
    } else if (!names.includes(name)) {
      problems.push(
        `STACK_REPLICAS names ${JSON.stringify(name)}, which is no process of the stack; known: ${names.join(', ')}`,
      );
    } else if (seen.has(name)) {
      problems.push(`STACK_REPLICAS names ${name} twice`);
    } else if (!Number.isInteger(count) || count < 1 || count > MAX_REPLICAS) {
      problems.push(`STACK_REPLICAS asks for ${match[2]} of ${name}; allowed: 1 to ${MAX_REPLICAS}`);
    } else {
      seen.add(name);
      replicas[name] = count;
    }
  }
  return replicas;
}

/**
 * The ports of every instance for one port variable: its value (or `defaultPort`) for the first,
 * then steps of {@link REPLICA_PORT_STEP}; or, when the value lists several ports separated by
 * commas, exactly one per instance. Adds a line to `problems` when the value is wrong.
 */
export function instancePorts(
  variable: string,
  raw: string | undefined,
  defaultPort: number,
  count: number,
  problems: string[],
): number[] {
  const value = raw?.trim();
  const allowed =
    `an integer from 1 to 65535 (default ${defaultPort})` +
    (count > 1 ? `, or ${count} of them separated by commas, one per instance` : '');
  const listed = value ? value.split(',').map((part) => part.trim()) : [String(defaultPort)];
  const ports = listed.map((part) => (/^\d+$/.test(part) ? Number(part) : NaN));
  if (ports.some((port) => !Number.isInteger(port) || port < 1 || port > 65_535)) {
    problems.push(`${variable} is ${JSON.stringify(raw)}; allowed: ${allowed}`);
    return stepped(defaultPort, count);
  }
  if (ports.length === count) return ports;
  if (ports.length === 1) {
    const all = stepped(ports[0] as number, count);
    if ((all.at(-1) as number) <= 65_535) return all;
    problems.push(
      `${variable} is ${ports[0]}: its instance ${count} would listen on ${all.at(-1)}, past 65535; ` +
        `give a lower port or one port per instance separated by commas`,
    );
    return stepped(defaultPort, count);
  }
  problems.push(`${variable} lists ${ports.length} ports for ${count} instance(s); allowed: ${allowed}`);
  return stepped(defaultPort, count);
}

const stepped = (first: number, count: number) =>
  Array.from({ length: count }, (_, index) => first + index * REPLICA_PORT_STEP);

/** What the launcher calls an instance in its output: the process's name, or `payments#2` when there are several. */
export function instanceLabel(name: string, instance: number, count: number): string {
  return count > 1 ? `${name}#${instance}` : name;
}

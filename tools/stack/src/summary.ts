import { DEFAULT_PORT_ROLE, ProcessSpec } from './processes';
import { RedisHandle } from './redis-check';
import { instanceLabel } from './replicas';
import { StackConfig, portOf, replicasOf } from './stack.config';
import { StackState, stackStatePath } from './stack-state';

/**
 * The lines that tell a developer where everything listens, e.g.
 * `  legacy-monolith  http://localhost:3000  (API docs: http://localhost:3000/api-docs)` (one line per
 * instance, `payments#2`, when `STACK_REPLICAS` runs several), the
 * stack's Redis key prefix, and the admin token unless the environment chose it.
 */
export function formatSummary(
  processes: readonly ProcessSpec[],
  config: StackConfig,
  redis: RedisHandle | undefined,
  state: StackState | undefined,
): string[] {
  const rows: [string, string][] = processes.flatMap((spec) => {
    const count = replicasOf(config, spec.name);
    return Array.from({ length: count }, (_, index): [string, string] => {
      const instance = index + 1;
      const base = (role: string = DEFAULT_PORT_ROLE) =>
        `http://localhost:${portOf(config, spec.name, role, instance)}`;
      const [main, ...others] = spec.ports;
      const addresses = [base(main.role), ...others.map((port) => `${port.role}: ${base(port.role)}`)];
      const links = (spec.links ?? []).map((link) => `${link.label}: ${base(link.port)}${link.path}`);
      const where = addresses.join('  ') + (links.length > 0 ? `  (${links.join(', ')})` : '');
      return [instanceLabel(spec.name, instance, count), where];
    });
  });
  if (redis) {
    const notes = [state ? `keys under ${state.redisPrefix}` : '', redis.server ? 'started by the stack' : ''];
    const note = notes.filter(Boolean).join(', ');
    rows.push(['redis', note ? `${redis.url}  (${note})` : redis.url]);
  }
  if (state && !config.adminToken && processes.some((spec) => spec.name === 'strangler')) {
    rows.push([
      'admin token',
      `${state.adminToken}  (kept in ${stackStatePath(config.dataDir)}, where npm run -s strangler -- … finds it)`,
    ]);
  }
  const width = Math.max(...rows.map(([name]) => name.length));
  return rows.map(([name, where]) => `  ${name.padEnd(width)}  ${where}`);
}

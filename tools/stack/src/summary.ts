import { DEFAULT_PORT_ROLE, ProcessSpec } from './processes';
import { RedisHandle } from './redis-check';
import { StackConfig, portOf } from './stack.config';

/**
 * The lines that tell a developer where everything listens, e.g.
 * `  legacy-monolith  http://localhost:3000  (API docs: http://localhost:3000/api-docs)`.
 */
export function formatSummary(
  processes: readonly ProcessSpec[],
  config: StackConfig,
  redis: RedisHandle | undefined,
): string[] {
  const rows: [string, string][] = processes.map((spec) => {
    const base = (role: string = DEFAULT_PORT_ROLE) => `http://localhost:${portOf(config, spec.name, role)}`;
    const [main, ...others] = spec.ports;
    const addresses = [base(main.role), ...others.map((port) => `${port.role}: ${base(port.role)}`)];
    const links = (spec.links ?? []).map((link) => `${link.label}: ${base(link.port)}${link.path}`);
    return [spec.name, addresses.join('  ') + (links.length > 0 ? `  (${links.join(', ')})` : '')];
  });
  if (redis) rows.push(['redis', redis.server ? `${redis.url}  (started by the stack)` : redis.url]);
  if (config.adminTokenGenerated && processes.some((spec) => spec.name === 'strangler')) {
    rows.push(['admin token', `${config.adminToken}  (made up for this run; set STRANGLER_ADMIN_TOKEN to choose it)`]);
  }
  const width = Math.max(...rows.map(([name]) => name.length));
  return rows.map(([name, where]) => `  ${name.padEnd(width)}  ${where}`);
}

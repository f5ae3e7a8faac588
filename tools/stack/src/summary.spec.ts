import { PROCESSES } from './processes';
import { loadStackConfig } from './stack.config';
import { formatSummary } from './summary';

describe('formatSummary', () => {
  it('shows where each process listens, its links, and the admin token made up for the run', () => {
    const config = loadStackConfig({ LEGACY_PORT: '3100' }, PROCESSES);
    expect(formatSummary(PROCESSES, config, undefined)).toEqual([
      '  legacy-monolith  http://localhost:3100  (API docs: http://localhost:3100/api-docs)',
      '  catalog          http://localhost:3001  (API docs: http://localhost:3001/api-docs)',
      '  inventory        http://localhost:3004  (API docs: http://localhost:3004/api-docs)',
      '  payments         http://localhost:3003  (API docs: http://localhost:3003/api-docs)',
      '  strangler        http://localhost:8080  admin: http://localhost:8081',
      `  admin token      ${config.adminToken}  (made up for this run; set STRANGLER_ADMIN_TOKEN to choose it)`,
    ]);
    expect(config.adminToken).toMatch(/^[0-9a-f]{32}$/);
  });

  it('keeps a given admin token out of the summary, and lists a Redis the stack started', () => {
    const config = loadStackConfig({ STRANGLER_ADMIN_TOKEN: 'a-token-of-our-own' }, PROCESSES);
    const redis = { url: 'redis://127.0.0.1:6379', server: {} as never, stop: async () => undefined };
    expect(config.adminToken).toBe('a-token-of-our-own');
    expect(formatSummary(PROCESSES, config, redis)).toEqual([
      '  legacy-monolith  http://localhost:3000  (API docs: http://localhost:3000/api-docs)',
      '  catalog          http://localhost:3001  (API docs: http://localhost:3001/api-docs)',
      '  inventory        http://localhost:3004  (API docs: http://localhost:3004/api-docs)',
      '  payments         http://localhost:3003  (API docs: http://localhost:3003/api-docs)',
      '  strangler        http://localhost:8080  admin: http://localhost:8081',
      '  redis            redis://127.0.0.1:6379  (started by the stack)',
    ]);
  });
});

import { PROCESSES, ProcessSpec } from './processes';
import { loadStackConfig } from './stack.config';
import { formatSummary } from './summary';

describe('formatSummary', () => {
  it('shows where the monolith listens and its API docs', () => {
    const config = loadStackConfig({ LEGACY_PORT: '3100' }, PROCESSES);
    expect(formatSummary(PROCESSES, config, undefined)).toEqual([
      '  legacy-monolith  http://localhost:3100  (API docs: http://localhost:3100/api-docs)',
    ]);
  });

  it('lines up several processes, their other ports, and a Redis the stack started', () => {
    const table: ProcessSpec[] = [
      ...PROCESSES,
      {
        name: 'strangler',
        entry: 'dist/strangler/src/main.js',
        ports: [
          { role: 'http', variable: 'STRANGLER_PORT', defaultPort: 8080, childVariable: 'PORT' },
          { role: 'admin', variable: 'STRANGLER_ADMIN_PORT', defaultPort: 8081, childVariable: 'ADMIN_PORT' },
        ],
        readiness: { port: 'admin', path: '/health/ready' },
        needsRedis: true,
        links: [{ label: 'dashboard', port: 'admin', path: '/' }],
      },
    ];
    const redis = { url: 'redis://127.0.0.1:6379', server: {} as never, stop: async () => undefined };
    expect(formatSummary(table, loadStackConfig({}, table), redis)).toEqual([
      '  legacy-monolith  http://localhost:3000  (API docs: http://localhost:3000/api-docs)',
      '  strangler        http://localhost:8080  admin: http://localhost:8081  (dashboard: http://localhost:8081/)',
      '  redis            redis://127.0.0.1:6379  (started by the stack)',
    ]);
  });
});

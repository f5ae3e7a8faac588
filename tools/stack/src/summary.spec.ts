import { PROCESSES } from './processes';
import { loadStackConfig } from './stack.config';
import { formatSummary } from './summary';

const STATE = { redisPrefix: 'ficus:0a1b2c3d:', adminToken: '0123456789abcdef0123456789abcdef' };
const redisAnswered = { url: 'redis://127.0.0.1:6379', server: undefined, stop: async () => undefined };

describe('formatSummary', () => {
  it("shows where each process listens, its links, the stack's key prefix and its admin token", () => {
    const config = loadStackConfig({ LEGACY_PORT: '3100' }, PROCESSES);
    expect(formatSummary(PROCESSES, config, redisAnswered, STATE)).toEqual([
      '  legacy-monolith  http://localhost:3100  (API docs: http://localhost:3100/api-docs)',
      '  catalog          http://localhost:3001  (API docs: http://localhost:3001/api-docs)',
      '  inventory        http://localhost:3004  (API docs: http://localhost:3004/api-docs)',
      '  payments         http://localhost:3003  (API docs: http://localhost:3003/api-docs)',
      '  orders           http://localhost:3002  (API docs: http://localhost:3002/api-docs)',
      '  strangler        http://localhost:8080  admin: http://localhost:8081',
      '  redis            redis://127.0.0.1:6379  (keys under ficus:0a1b2c3d:)',
      '  admin token      0123456789abcdef0123456789abcdef  (kept in data/stack.env, where npm run -s strangler -- … finds it)',
    ]);
  });

  it('keeps an admin token given by the environment out of the summary, and says when it started Redis', () => {
    const config = loadStackConfig(
      { STRANGLER_ADMIN_TOKEN: 'a-token-of-our-own', STACK_DATA_DIR: '/tmp/x' },
      PROCESSES,
    );
    const started = { ...redisAnswered, server: {} as never };
    const state = { ...STATE, adminToken: 'a-token-of-our-own' };
    expect(formatSummary(PROCESSES, config, started, state).slice(-2)).toEqual([
      '  strangler        http://localhost:8080  admin: http://localhost:8081',
      '  redis            redis://127.0.0.1:6379  (keys under ficus:0a1b2c3d:, started by the stack)',
    ]);
  });
});

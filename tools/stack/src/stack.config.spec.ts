import { ProcessSpec } from './processes';
import { DEFAULT_READY_TIMEOUT_MS, DEFAULT_REDIS_URL, loadStackConfig, portOf } from './stack.config';

const TABLE: readonly ProcessSpec[] = [
  {
    name: 'legacy-monolith',
    entry: 'dist/legacy-monolith/src/main.js',
    ports: [{ role: 'http', variable: 'LEGACY_PORT', defaultPort: 3000, childVariable: 'PORT' }],
    readiness: { path: '/health/ready' },
    needsRedis: false,
  },
  {
    name: 'strangler',
    entry: 'dist/strangler/src/main.js',
    ports: [
      { role: 'http', variable: 'STRANGLER_PORT', defaultPort: 8080, childVariable: 'PORT' },
      { role: 'admin', variable: 'STRANGLER_ADMIN_PORT', defaultPort: 8081, childVariable: 'ADMIN_PORT' },
    ],
    readiness: { port: 'admin', path: '/health/ready' },
    needsRedis: true,
  },
];

describe('loadStackConfig', () => {
  it('uses the defaults when nothing is set', () => {
    const config = loadStackConfig({}, TABLE);
    expect(config.ports).toEqual({ 'legacy-monolith': { http: 3000 }, strangler: { http: 8080, admin: 8081 } });
    expect(config.redisUrl).toBe(DEFAULT_REDIS_URL);
    expect(config.readyTimeoutMs).toBe(DEFAULT_READY_TIMEOUT_MS);
  });

  it('takes each port from its own variable, and an empty value as unset', () => {
    const config = loadStackConfig({ LEGACY_PORT: ' 4000 ', STRANGLER_ADMIN_PORT: '9091', STRANGLER_PORT: '' }, TABLE);
    expect(portOf(config, 'legacy-monolith')).toBe(4000);
    expect(portOf(config, 'strangler')).toBe(8080);
    expect(portOf(config, 'strangler', 'admin')).toBe(9091);
    expect(() => portOf(config, 'catalog')).toThrow('no port "http" for a process named "catalog"');
  });

  it.each([
    [{ LEGACY_PORT: 'abc' }, 'LEGACY_PORT is "abc"; allowed: an integer from 1 to 65535 (default 3000)'],
    [{ LEGACY_PORT: '0' }, 'LEGACY_PORT is "0"'],
    [{ LEGACY_PORT: '70000' }, 'LEGACY_PORT is "70000"'],
    [{ STACK_READY_TIMEOUT_MS: '1.5' }, 'STACK_READY_TIMEOUT_MS is "1.5"'],
    [{ STRANGLER_PORT: '3000' }, 'STRANGLER_PORT is 3000, the same port as LEGACY_PORT'],
  ])('names the variable that is wrong: %j', (env, message) => {
    expect(() => loadStackConfig(env, TABLE)).toThrow(message);
  });

  it('passes its whole environment on to the children', () => {
    const env = { PATH: '/usr/bin', DATABASE_URL: 'sqlite:x.sqlite' };
    expect(loadStackConfig(env, TABLE)).toMatchObject({ childEnv: env, searchPath: '/usr/bin' });
  });
});

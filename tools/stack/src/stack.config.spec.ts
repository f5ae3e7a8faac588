import { PROCESSES, ProcessSpec } from './processes';
import { DEFAULT_READY_TIMEOUT_MS, DEFAULT_REDIS_URL, loadStackConfig, portOf, portsOf } from './stack.config';

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

  it('keeps its databases and state in data/ unless STACK_DATA_DIR says otherwise', () => {
    expect(loadStackConfig({}, PROCESSES)).toMatchObject({ dataDir: 'data', redisPrefix: undefined });
    const elsewhere = loadStackConfig({ STACK_DATA_DIR: '/tmp/stack-a', REDIS_PREFIX: 'mine:' }, PROCESSES);
    expect(elsewhere).toMatchObject({ dataDir: '/tmp/stack-a', redisPrefix: 'mine:', adminToken: undefined });
    expect(elsewhere.databaseUrls.catalog).toBe('sqlite:/tmp/stack-a/catalog.sqlite');
  });

  it('passes its whole environment on to the children', () => {
    const env = { PATH: '/usr/bin', DATABASE_URL: 'sqlite:x.sqlite' };
    expect(loadStackConfig(env, TABLE)).toMatchObject({ childEnv: env, searchPath: '/usr/bin' });
  });

  describe("each process's own database", () => {
    it('gives every process of the stack its own SQLite file by default', () => {
      expect(loadStackConfig({}, PROCESSES).databaseUrls).toEqual({
        'legacy-monolith': 'sqlite:data/legacy-monolith.sqlite',
        catalog: 'sqlite:data/catalog.sqlite',
        inventory: 'sqlite:data/inventory.sqlite',
        payments: 'sqlite:data/payments.sqlite',
        orders: 'sqlite:data/orders.sqlite',
      });
    });

    it("takes the monolith's from LEGACY_DATABASE_URL, else from DATABASE_URL, and never gives DATABASE_URL to a service", () => {
      const shared = { DATABASE_URL: 'postgres://postgres@127.0.0.1:5432/ficus_legacy' };
      expect(loadStackConfig(shared, PROCESSES).databaseUrls).toEqual({
        'legacy-monolith': 'postgres://postgres@127.0.0.1:5432/ficus_legacy',
        catalog: 'sqlite:data/catalog.sqlite',
        inventory: 'sqlite:data/inventory.sqlite',
        payments: 'sqlite:data/payments.sqlite',
        orders: 'sqlite:data/orders.sqlite',
      });
      const own = { ...shared, LEGACY_DATABASE_URL: ' sqlite:/tmp/legacy.sqlite ' };
      expect(loadStackConfig(own, PROCESSES).databaseUrls['legacy-monolith']).toBe('sqlite:/tmp/legacy.sqlite');
    });

    it('takes each service from its own variable, and an empty value as unset', () => {
      const config = loadStackConfig(
        {
          CATALOG_DATABASE_URL: 'sqlite:/tmp/c.sqlite',
          INVENTORY_DATABASE_URL: 'postgresql://postgres@db:5432/inventory',
          PAYMENTS_DATABASE_URL: '',
        },
        PROCESSES,
      );
      expect(config.databaseUrls).toEqual({
        'legacy-monolith': 'sqlite:data/legacy-monolith.sqlite',
        catalog: 'sqlite:/tmp/c.sqlite',
        inventory: 'postgresql://postgres@db:5432/inventory',
        payments: 'sqlite:data/payments.sqlite',
        orders: 'sqlite:data/orders.sqlite',
      });
    });

    it('lets any number of processes use a database of their own in memory', () => {
      const memory = 'sqlite::memory:';
      const env = { DATABASE_URL: memory, CATALOG_DATABASE_URL: memory, PAYMENTS_DATABASE_URL: memory };
      expect(loadStackConfig(env, PROCESSES).databaseUrls).toMatchObject({
        'legacy-monolith': memory,
        catalog: memory,
        payments: memory,
      });
    });

    it('leaves a process without a database row alone', () => {
      expect(loadStackConfig({ DATABASE_URL: 'sqlite:x.sqlite' }, TABLE).databaseUrls).toEqual({});
      expect(loadStackConfig({}, PROCESSES).databaseUrls).not.toHaveProperty('strangler');
    });

    it.each([
      [
        { CATALOG_DATABASE_URL: 'mysql://db/catalog' },
        'CATALOG_DATABASE_URL is "mysql://db/catalog"; allowed: sqlite:<file path>, sqlite::memory: or postgres://user@host:port/database (default sqlite:data/catalog.sqlite)',
      ],
      [{ DATABASE_URL: 'catalog.sqlite' }, 'DATABASE_URL is "catalog.sqlite"; allowed: sqlite:<file path>'],
      [
        { LEGACY_DATABASE_URL: 'sqlite:one.sqlite', PAYMENTS_DATABASE_URL: 'sqlite:one.sqlite' },
        'PAYMENTS_DATABASE_URL is sqlite:one.sqlite, the same database as LEGACY_DATABASE_URL; give each process its own database',
      ],
      [
        { DATABASE_URL: 'sqlite:data/catalog.sqlite' },
        'CATALOG_DATABASE_URL (default) is sqlite:data/catalog.sqlite, the same database as DATABASE_URL',
      ],
    ])('names the database variable that is wrong: %j', (env, message) => {
      expect(() => loadStackConfig(env, PROCESSES)).toThrow(message);
    });
  });

  it('reads a port variable for every process of the stack', () => {
    const config = loadStackConfig({ CATALOG_PORT: '4001', INVENTORY_PORT: '4004', PAYMENTS_PORT: '4003' }, PROCESSES);
    expect(config.ports).toEqual({
      'legacy-monolith': { http: 3000 },
      catalog: { http: 4001 },
      inventory: { http: 4004 },
      payments: { http: 4003 },
      orders: { http: 3002 },
      strangler: { http: 8080, admin: 8081 },
    });
    expect(() => loadStackConfig({ PAYMENTS_PORT: '3001' }, PROCESSES)).toThrow(
      'PAYMENTS_PORT is 3001, the same port as CATALOG_PORT',
    );
  });

  describe('several instances of a process (STACK_REPLICAS)', () => {
    it('runs one of each by default', () => {
      const config = loadStackConfig({}, PROCESSES);
      expect(Object.values(config.replicas)).toEqual([1, 1, 1, 1, 1, 1]);
      expect(portsOf(config, 'payments')).toEqual([3003]);
    });

    it('gives instance n the port + 100 × (n − 1), for every port of the process', () => {
      const config = loadStackConfig({ STACK_REPLICAS: ' strangler=2, payments=3 ', PAYMENTS_PORT: '5003' }, PROCESSES);
      expect(config.replicas).toMatchObject({ strangler: 2, payments: 3, catalog: 1 });
      expect(portsOf(config, 'payments')).toEqual([5003, 5103, 5203]);
      expect(portsOf(config, 'strangler')).toEqual([8080, 8180]);
      expect(portsOf(config, 'strangler', 'admin')).toEqual([8081, 8181]);
      expect(portOf(config, 'strangler', 'admin', 2)).toBe(8181);
      expect(portOf(config, 'payments')).toBe(5003);
      expect(() => portOf(config, 'payments', 'http', 4)).toThrow('no instance 4 of "payments"');
    });

    it('takes one port per instance when the variable lists them', () => {
      const config = loadStackConfig({ STACK_REPLICAS: 'payments=2', PAYMENTS_PORT: '41000, 42000' }, PROCESSES);
      expect(portsOf(config, 'payments')).toEqual([41000, 42000]);
    });

    it.each([
      [
        { STACK_REPLICAS: 'payments' },
        'STACK_REPLICAS has "payments"; allowed: process=count pairs separated by commas',
      ],
      [
        { STACK_REPLICAS: 'billing=2' },
        'STACK_REPLICAS names "billing", which is no process of the stack; known: legacy-monolith, catalog',
      ],
      [{ STACK_REPLICAS: 'payments=0' }, 'STACK_REPLICAS asks for 0 of payments; allowed: 1 to 16'],
      [{ STACK_REPLICAS: 'payments=17' }, 'STACK_REPLICAS asks for 17 of payments; allowed: 1 to 16'],
      [{ STACK_REPLICAS: 'payments=2,payments=3' }, 'STACK_REPLICAS names payments twice'],
      [
        { STACK_REPLICAS: 'payments=2', PAYMENTS_PORT: '1,2,3' },
        'PAYMENTS_PORT lists 3 ports for 2 instance(s); allowed: an integer from 1 to 65535 (default 3003), or 2 of them separated by commas, one per instance',
      ],
      [{ PAYMENTS_PORT: '4003,4004' }, 'PAYMENTS_PORT lists 2 ports for 1 instance(s)'],
      [
        { STACK_REPLICAS: 'payments=2', PAYMENTS_PORT: '65500' },
        'PAYMENTS_PORT is 65500: its instance 2 would listen on 65600',
      ],
      [
        { STACK_REPLICAS: 'catalog=2', PAYMENTS_PORT: '3101' },
        'PAYMENTS_PORT is 3101, the same port as CATALOG_PORT (instance 2)',
      ],
      [
        { STACK_REPLICAS: 'payments=2', PAYMENTS_DATABASE_URL: 'sqlite::memory:' },
        'PAYMENTS_DATABASE_URL is sqlite::memory:, but STACK_REPLICAS runs 2 instances of payments, which share its database',
      ],
    ])('says what is wrong: %j', (env, message) => {
      expect(() => loadStackConfig(env, PROCESSES)).toThrow(message);
    });
  });
});

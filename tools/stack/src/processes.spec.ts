import { PROCESSES, ProcessSpec, StackContext } from './processes';

const byName = (name: string): ProcessSpec => {
  const spec = PROCESSES.find((row) => row.name === name);
  if (!spec) throw new Error(`no row ${name}`);
  return spec;
};

describe('the processes of npm start', () => {
  it('starts the monolith, then the services, then the facade', () => {
    expect(PROCESSES.map((spec) => [spec.name, spec.entry, spec.ports[0].variable, spec.ports[0].defaultPort])).toEqual(
      [
        ['legacy-monolith', 'dist/legacy-monolith/src/main.js', 'LEGACY_PORT', 3000],
        ['catalog', 'dist/apps/catalog/src/main.js', 'CATALOG_PORT', 3001],
        ['inventory', 'dist/apps/inventory/src/main.js', 'INVENTORY_PORT', 3004],
        ['payments', 'dist/apps/payments/src/main.js', 'PAYMENTS_PORT', 3003],
        ['orders', 'dist/apps/orders/src/main.js', 'ORDERS_PORT', 3002],
        ['strangler', 'dist/strangler/src/main.js', 'STRANGLER_PORT', 8080],
      ],
    );
  });

  it.each(['catalog', 'inventory', 'payments', 'orders'])(
    'runs %s on Redis, ready on /health/ready, with its own database and API docs',
    (name) => {
      expect(byName(name)).toMatchObject({
        readiness: { path: '/health/ready' },
        needsRedis: true,
        database: { variable: `${name.toUpperCase()}_DATABASE_URL`, defaultFile: `${name}.sqlite` },
        links: [{ label: 'API docs', path: '/api-docs' }],
      });
      expect(byName(name).ports).toEqual([expect.objectContaining({ role: 'http', childVariable: 'PORT' })]);
    },
  );

  it('keeps the monolith, the services and the admin plane on 127.0.0.1; the data plane is left to STRANGLER_HOST', () => {
    const context: StackContext = {
      portOf: () => 1,
      portsOf: () => [1],
      instance: 1,
      redisUrl: 'redis://x',
      adminToken: 't',
      dataDir: '/d',
    };
    for (const name of ['legacy-monolith', 'catalog', 'inventory', 'payments', 'orders']) {
      expect(byName(name).env?.(context)).toEqual({ HOST: '127.0.0.1' });
    }
    expect(byName('strangler').env?.(context)).toMatchObject({ STRANGLER_ADMIN_HOST: '127.0.0.1' });
    expect(byName('strangler').env?.(context)).not.toHaveProperty('STRANGLER_HOST');
    expect(byName('strangler').env?.(context)).not.toHaveProperty('HOST');
  });

  it("runs the monolith's backfill once it is ready, before the services start", () => {
    expect(byName('legacy-monolith')).toMatchObject({
      database: {
        variable: 'LEGACY_DATABASE_URL',
        fallbacks: ['DATABASE_URL'],
        defaultFile: 'legacy-monolith.sqlite',
      },
      afterReady: { name: 'backfill', entry: 'dist/legacy-monolith/src/backfill/backfill.main.js' },
    });
    expect(PROCESSES.filter((spec) => spec.afterReady).map((spec) => spec.name)).toEqual(['legacy-monolith']);
  });

  it("points the facade's upstreams at this stack's ports, gives it the admin token and tells the CLI its admin URL", () => {
    const ports: Record<string, number> = {
      'legacy-monolith': 4000,
      catalog: 4001,
      inventory: 4004,
      payments: 4003,
      orders: 4002,
      'strangler/admin': 4081,
    };
    const context: StackContext = {
      portOf: (name, role) => ports[role === 'admin' ? `${name}/admin` : name] ?? 0,
      portsOf: (name, role) => [ports[role === 'admin' ? `${name}/admin` : name] ?? 0],
      instance: 1,
      redisUrl: 'redis://127.0.0.1:6379',
      adminToken: 'an-admin-token-of-the-run',
      dataDir: '/srv/ficus-data',
    };
    expect(byName('strangler').env?.(context)).toEqual({
      STRANGLER_UPSTREAM_LEGACY_URL: 'http://127.0.0.1:4000',
      STRANGLER_UPSTREAM_CATALOG_URL: 'http://127.0.0.1:4001',
      STRANGLER_UPSTREAM_INVENTORY_URL: 'http://127.0.0.1:4004',
      STRANGLER_UPSTREAM_PAYMENTS_URL: 'http://127.0.0.1:4003',
      STRANGLER_UPSTREAM_ORDERS_URL: 'http://127.0.0.1:4002',
      STRANGLER_ADMIN_TOKEN: 'an-admin-token-of-the-run',
      STRANGLER_ADMIN_HOST: '127.0.0.1',
      STRANGLER_HISTORY_DIR: '/srv/ficus-data/strangler',
    });
    expect(byName('strangler').sharedEnv?.(context)).toEqual({ STRANGLER_ADMIN_URL: 'http://127.0.0.1:4081' });
  });

  it('lists every instance of a process in the upstream, and gives each facade its own history copy', () => {
    const ports: Record<string, number[]> = { payments: [4003, 4103], catalog: [4001] };
    const context = (instance: number): StackContext => ({
      portOf: (name) => ports[name]?.[0] ?? 1,
      portsOf: (name) => ports[name] ?? [1],
      instance,
      redisUrl: 'redis://127.0.0.1:6379',
      adminToken: 't',
      dataDir: '/srv/ficus-data',
    });
    const strangler = byName('strangler');
    expect(strangler.env?.(context(1))).toMatchObject({
      STRANGLER_UPSTREAM_PAYMENTS_URL: 'http://127.0.0.1:4003,http://127.0.0.1:4103',
      STRANGLER_UPSTREAM_CATALOG_URL: 'http://127.0.0.1:4001',
      STRANGLER_HISTORY_DIR: '/srv/ficus-data/strangler',
    });
    expect(strangler.env?.(context(2))).toMatchObject({ STRANGLER_HISTORY_DIR: '/srv/ficus-data/strangler-2' });
  });
});

import { join } from 'node:path';
import { locateSides, withoutPassword } from './side-locations';

const ROOT = '/repo';

describe('locateSides', () => {
  it('finds the SQLite files npm start gives each process in the data folder', () => {
    const locations = locateSides({}, ROOT);
    expect([...locations.values()]).toEqual([
      expect.objectContaining({
        process: 'legacy-monolith',
        kind: 'sqlite',
        path: join(ROOT, 'data/legacy-monolith.sqlite'),
        source: 'the default; LEGACY_DATABASE_URL is not set',
      }),
      expect.objectContaining({ process: 'catalog', path: join(ROOT, 'data/catalog.sqlite') }),
      expect.objectContaining({ process: 'inventory', path: join(ROOT, 'data/inventory.sqlite') }),
      expect.objectContaining({ process: 'payments', path: join(ROOT, 'data/payments.sqlite') }),
      expect.objectContaining({ process: 'orders', path: join(ROOT, 'data/orders.sqlite') }),
    ]);
  });

  it('reads STACK_DATA_DIR, each process variable and the monolith fallback DATABASE_URL', () => {
    const locations = locateSides(
      {
        STACK_DATA_DIR: '/elsewhere',
        DATABASE_URL: 'sqlite:mono.sqlite',
        PAYMENTS_DATABASE_URL: 'postgres://u:secret@db:5432/payments',
      },
      ROOT,
    );
    expect(locations.get('legacy-monolith')).toMatchObject({ path: join(ROOT, 'mono.sqlite'), source: 'DATABASE_URL' });
    expect(locations.get('catalog')).toMatchObject({ path: '/elsewhere/catalog.sqlite' });
    expect(locations.get('payments')).toEqual({
      process: 'payments',
      kind: 'postgres',
      url: 'postgres://u:secret@db:5432/payments',
      source: 'PAYMENTS_DATABASE_URL',
      variable: 'PAYMENTS_DATABASE_URL',
    });
  });

  it('refuses what the launcher refuses', () => {
    expect(() => locateSides({ CATALOG_DATABASE_URL: 'mysql://x' }, ROOT)).toThrow(
      expect.objectContaining({
        code: 'SYNC_CONFIG_INVALID',
        message: expect.stringContaining('CATALOG_DATABASE_URL'),
      }),
    );
  });
});

describe('withoutPassword', () => {
  it('hides a password and leaves the rest', () => {
    expect(withoutPassword('postgres://u:secret@db:5432/x')).toBe('postgres://u:***@db:5432/x');
    expect(withoutPassword('postgres://u@db/x')).toBe('postgres://u@db/x');
  });
});

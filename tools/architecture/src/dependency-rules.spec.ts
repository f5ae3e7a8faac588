import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { checkImport, findViolations } from './dependency-rules';
import { LIBRARY_ORDER } from './library-order';

const LIBS = new Set(['service-defaults', 'auth']);

describe('checkImport', () => {
  it.each([
    ['apps/catalog/src/main.ts', '@app/service-defaults'],
    ['apps/catalog/src/a/b.ts', '../c'],
    ['legacy-monolith/src/orders/x.ts', '../../catalog/y'],
    ['libs/auth/src/guard.ts', '@app/service-defaults'],
    ['libs/auth/src/guard.ts', './token'],
    ['legacy-monolith/test/x.e2e-spec.ts', '../../tools/testing/with-env'],
    ['apps/catalog/test/x.e2e-spec.ts', '../src/app'],
    ['apps/catalog/src/x.ts', '@nestjs/common'],
    ['libs/auth/test/guard.e2e-spec.ts', '@app/auth'],
  ])('allows %s to import %s', (file, specifier) => {
    expect(checkImport(file, specifier, LIBS)).toBeUndefined();
  });

  it.each([
    ['apps/catalog/src/x.ts', '../../orders/src/y', 'app catalog may not import app orders'],
    ['apps/catalog/src/x.ts', '../../../legacy-monolith/src/y', 'app catalog may not import legacy'],
    ['legacy-monolith/src/x.ts', '../../apps/catalog/src/y', 'legacy may not import app catalog'],
    ['strangler/src/x.ts', '../../legacy-monolith/src/y', 'strangler may not import legacy'],
    ['libs/auth/src/x.ts', '../../../apps/catalog/src/y', 'lib auth may not import app catalog'],
    ['apps/catalog/src/x.ts', '@app/auth/src/token', 'import the library through its index: @app/auth'],
    ['apps/catalog/src/x.ts', '../../../libs/auth/src/index', 'import the library as @app/auth, not by path'],
    ['apps/catalog/src/x.ts', '@app/common', 'there is no library libs/common'],
    ['libs/auth/src/x.ts', '@app/auth', 'a library imports its own files relatively'],
    ['legacy-monolith/src/x.ts', '../../tools/testing/with-env', 'legacy may not import tools testing'],
  ])('refuses %s importing %s', (file, specifier, rule) => {
    expect(checkImport(file, specifier, LIBS)).toEqual({ file, specifier, rule });
  });
});

describe('the library order', () => {
  const ORDER = ['contracts', 'redis-streams', 'outbox'];
  const LIBRARIES = new Set(ORDER);

  it.each([
    ['libs/outbox/src/outbox-relay.ts', '@app/redis-streams'],
    ['libs/outbox/src/outbox.ts', '@app/contracts'],
    ['libs/redis-streams/test/x.e2e-spec.ts', '@app/outbox'],
    ['libs/contracts/src/registry.spec.ts', '@app/outbox'],
    ['apps/catalog/src/x.ts', '@app/outbox'],
  ])('allows %s to import %s', (file, specifier) => {
    expect(checkImport(file, specifier, LIBRARIES, ORDER)).toBeUndefined();
  });

  it('refuses a library importing one after it, naming both', () => {
    const found = checkImport('libs/redis-streams/src/client.ts', '@app/outbox', LIBRARIES, ORDER);
    expect(found).toEqual({
      file: 'libs/redis-streams/src/client.ts',
      specifier: '@app/outbox',
      rule:
        'lib redis-streams may not import lib outbox: outbox comes after redis-streams in LIBRARY_ORDER in ' +
        'tools/architecture/src/library-order.ts (contracts → redis-streams → outbox)',
    });
  });

  describe('in a repository', () => {
    let root: string;
    const write = (path: string, text: string) => {
      mkdirSync(dirname(join(root, path)), { recursive: true });
      writeFileSync(join(root, path), text);
    };
    beforeEach(() => {
      root = mkdtempSync(join(tmpdir(), 'ficus-architecture-'));
      write('libs/contracts/src/index.ts', 'export const A = 1;\n');
      write('libs/outbox/src/index.ts', "import { A } from '@app/contracts';\nexport const B = A;\n");
    });
    afterEach(() => rmSync(root, { recursive: true, force: true }));

    it('reports a library the order does not place, telling where to place it', () => {
      write('libs/payments-sdk/src/index.ts', "import { B } from '@app/outbox';\nexport const C = B;\n");
      expect(findViolations(root, ['contracts', 'outbox'])).toEqual([
        {
          file: 'libs/payments-sdk/src/index.ts',
          specifier: '@app/payments-sdk',
          rule:
            'libs/payments-sdk is not in the library order: add it to LIBRARY_ORDER in ' +
            'tools/architecture/src/library-order.ts, after every library it imports',
        },
      ]);
    });

    it('reports a name in the order that is no library, and an import against the order', () => {
      write('libs/contracts/src/uses-outbox.ts', "import { B } from '@app/outbox';\nexport const D = B;\n");
      expect(findViolations(root, ['contracts', 'outbox', 'gone']).map((found) => found.rule)).toEqual([
        'LIBRARY_ORDER in tools/architecture/src/library-order.ts names gone, which is no library: take it out',
        expect.stringMatching(/^lib contracts may not import lib outbox: /),
      ]);
    });
  });

  it('builds the libraries up from the contracts to the integration events', () => {
    const chain = ['contracts', 'service-defaults', 'database', 'redis-streams', 'outbox', 'integration-events'];
    const positions = chain.map((name) => LIBRARY_ORDER.indexOf(name));
    expect(positions.every((at, i) => at >= 0 && (i === 0 || at > (positions[i - 1] as number)))).toBe(true);
  });
});

describe('the repository', () => {
  it('keeps every dependency rule', () => {
    expect(findViolations(join(__dirname, '..', '..', '..'))).toEqual([]);
  });
});

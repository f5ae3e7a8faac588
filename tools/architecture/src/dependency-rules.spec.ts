import { join } from 'node:path';
import { checkImport, findViolations } from './dependency-rules';

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

describe('the repository', () => {
  it('keeps every dependency rule', () => {
    expect(findViolations(join(__dirname, '..', '..', '..'))).toEqual([]);
  });
});

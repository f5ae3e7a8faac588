import { JwtCodec } from '@app/auth';
import { checkRuleSet } from './check-rule-set';
import { compileConsistencyKeys, resolveConsistencyKeys } from './consistency-keys';
import { parsePathPattern } from './path-pattern';

const jwt = new JwtCodec('a-secret-for-consistency-keys-0123456789');
const ANA = '11111111-1111-4111-8111-111111111111';

const request = (segments: string[], authorization?: string) => ({
  method: 'GET',
  segments,
  header: (name: string) => (name === 'authorization' ? authorization : undefined),
  queryParam: () => undefined,
  cookie: () => undefined,
});

describe('consistency keys of a route', () => {
  const keys = compileConsistencyKeys(
    ['product:{id}', 'customer:{jwt.sub}', 'order:*'],
    parsePathPattern('/api/products/:id/stock'),
  );

  it('names the aggregate of a path parameter, the caller’s, and a collection', () => {
    const bearer = `Bearer ${jwt.issue({ id: ANA, role: 'customer' }).accessToken}`;
    expect(resolveConsistencyKeys(keys, request(['api', 'products', 'ABC-1', 'stock'], bearer), jwt)).toEqual([
      { aggregateType: 'product', aggregateId: 'abc-1' },
      { aggregateType: 'customer', aggregateId: ANA },
      { aggregateType: 'order' },
    ]);
  });

  it('leaves out the caller’s aggregate without a valid token', () => {
    for (const authorization of [undefined, 'Bearer forged.token.here', 'Basic abc']) {
      expect(resolveConsistencyKeys(keys, request(['api', 'products', 'p', 'stock'], authorization), jwt)).toEqual([
        { aggregateType: 'product', aggregateId: 'p' },
        { aggregateType: 'order' },
      ]);
    }
  });

  it.each([
    ['product:{sku}', /names \{sku\}, which is not a parameter of the route's path \(:id\)/],
    ['product', /must be TYPE:\{param\}/],
    ['Product:{id}', /must be TYPE:\{param\}/],
    ['product:{id', /must be TYPE:\{param\}/],
    ['product:{jwt.role}', /must be TYPE:\{param\}/],
  ])('refuses %j', (entry, message) => {
    expect(() => compileConsistencyKeys([entry], parsePathPattern('/api/products/:id'))).toThrow(message);
  });

  it('is checked with the rules, each problem at its route', () => {
    const rules = (consistency: string[]) =>
      checkRuleSet({
        legacy: 'legacy',
        upstreams: { legacy: { url: 'http://127.0.0.1:3000' } },
        routes: [
          {
            id: 'a',
            match: { path: '/api/orders/:id' },
            target: 'legacy',
            mode: 'legacy',
            consistency: ['order:{id}'],
          },
          { id: 'b', match: { path: '/api/products' }, target: 'legacy', mode: 'legacy', consistency },
        ],
      });
    expect(rules(['x y'])).toMatchObject({
      ok: false,
      errors: [expect.stringMatching(/^routes\[1\]\.consistency\[0\]: must be TYPE:\{param\}/)],
    });
    expect(rules(['product:{id}'])).toMatchObject({
      ok: false,
      errors: [
        'routes[1].consistency: "product:{id}" names {id}, which is not a parameter of the route\'s path (it has none)',
      ],
    });
    expect(rules(['product:*'])).toMatchObject({ ok: true });
  });
});

import { CompiledRuleSet } from './compiled-rule-set';
import { checkRuleSet } from './check-rule-set';
import type { RuleSetInput } from './rule-set.schema';
import { overrideKey, resolveUpstreamUrls, upstreamOverrides } from './upstream-overrides';

function document() {
  const check = checkRuleSet({
    legacy: 'legacy',
    upstreams: {
      legacy: { url: 'http://127.0.0.1:3000' },
      'orders-api': { urls: ['http://127.0.0.1:3002', 'http://127.0.0.1:3012'] },
      catalog_v2: { url: 'http://127.0.0.1:3001' },
    },
  } satisfies RuleSetInput);
  if (!check.ok) throw new Error(check.errors.join('\n'));
  return check.ruleSet;
}

describe('upstream overrides', () => {
  it.each([
    ['legacy', 'LEGACY'],
    ['orders-api', 'ORDERS_API'],
    ['catalog_v2', 'CATALOG_V2'],
    ['a-b-c', 'A_B_C'],
  ])('reads %s from STRANGLER_UPSTREAM_%s_URL', (name, key) => {
    expect(overrideKey(name)).toBe(key);
  });

  it.each<[string, Record<string, string | undefined>, [string, string[]][]]>([
    ['one URL', { STRANGLER_UPSTREAM_LEGACY_URL: 'http://legacy:3000' }, [['LEGACY', ['http://legacy:3000']]]],
    [
      'several URLs, separated by commas',
      { STRANGLER_UPSTREAM_ORDERS_API_URL: 'http://a:1, http://b:2 ,http://c:3' },
      [['ORDERS_API', ['http://a:1', 'http://b:2', 'http://c:3']]],
    ],
    ['empty items', { STRANGLER_UPSTREAM_LEGACY_URL: 'http://a:1,, ,' }, [['LEGACY', ['http://a:1']]]],
    ['an empty value', { STRANGLER_UPSTREAM_LEGACY_URL: '' }, []],
    ['an unset value', { STRANGLER_UPSTREAM_LEGACY_URL: undefined }, []],
    ['a lower-case name', { STRANGLER_UPSTREAM_legacy_URL: 'http://a:1' }, []],
    ['a name with -', { 'STRANGLER_UPSTREAM_ORDERS-API_URL': 'http://a:1' }, []],
    ['another variable', { STRANGLER_PORT: '8080', UPSTREAM_LEGACY_URL: 'http://a:1' }, []],
    [
      'several upstreams',
      { STRANGLER_UPSTREAM_LEGACY_URL: 'http://a:1', STRANGLER_UPSTREAM_CATALOG_V2_URL: 'http://b:1' },
      [
        ['LEGACY', ['http://a:1']],
        ['CATALOG_V2', ['http://b:1']],
      ],
    ],
  ])('reads %s', (_name, env, expected) => {
    expect([...upstreamOverrides(env)]).toEqual(expected);
  });

  it("uses the rules' addresses where nothing overrides them", () => {
    expect(Object.fromEntries(resolveUpstreamUrls(document(), new Map()))).toEqual({
      legacy: ['http://127.0.0.1:3000'],
      'orders-api': ['http://127.0.0.1:3002', 'http://127.0.0.1:3012'],
      catalog_v2: ['http://127.0.0.1:3001'],
    });
  });

  it('replaces url and urls with the overrides, by upper-cased name with - as _', () => {
    const overrides = upstreamOverrides({
      STRANGLER_UPSTREAM_LEGACY_URL: 'http://legacy:3000,http://legacy-2:3000',
      STRANGLER_UPSTREAM_ORDERS_API_URL: 'http://orders:3002',
      STRANGLER_UPSTREAM_UNKNOWN_URL: 'http://nowhere:1',
    });
    const ruleSet = new CompiledRuleSet(1, document(), { overrides });
    expect(Object.fromEntries(ruleSet.upstreamUrls)).toEqual({
      legacy: ['http://legacy:3000', 'http://legacy-2:3000'],
      'orders-api': ['http://orders:3002'],
      catalog_v2: ['http://127.0.0.1:3001'],
    });
  });

  it('does not share its lists with the overrides', () => {
    const overrides = new Map([['LEGACY', ['http://a:1']]]);
    const urls = resolveUpstreamUrls(document(), overrides);
    urls.get('legacy')?.push('http://b:1');
    expect(overrides.get('LEGACY')).toEqual(['http://a:1']);
  });
});

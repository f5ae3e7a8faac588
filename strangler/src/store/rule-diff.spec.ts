import { type RuleSetDocument, type RuleSetInput, checkRuleSet } from '../rules';
import { diffRuleSets, initialSummary, summaryText } from './rule-diff';

function rules(input: RuleSetInput): RuleSetDocument {
  const check = checkRuleSet(input);
  if (!check.ok) throw new Error(check.errors.join('; '));
  return check.ruleSet;
}

const route = (id: string, extra: Record<string, unknown> = {}) => ({
  id,
  match: { path: `/api/${id}` },
  target: 'svc',
  mode: 'legacy' as const,
  ...extra,
});

const base = (routes: ReturnType<typeof route>[], upstreams: RuleSetInput['upstreams'] = {}) =>
  rules({
    legacy: 'legacy',
    upstreams: { legacy: { url: 'http://127.0.0.1:3000' }, svc: { url: 'http://127.0.0.1:3001' }, ...upstreams },
    routes,
  });

describe('diffRuleSets', () => {
  it('says "no changes" for equal documents, whatever their key order', () => {
    const a = base([route('a', { match: { path: '/api/a', methods: ['GET'] } })]);
    const b = base([route('a', { match: { methods: ['GET'], path: '/api/a' } })]);
    expect(diffRuleSets(a, b)).toEqual({ text: 'no changes', changes: [] });
  });

  it.each([
    ['mode', { mode: 'live' }, 'route a: mode legacy → live'],
    [
      'percent',
      { mode: 'canary', percent: 5, stickyBy: 'ip' },
      'route a: mode legacy → canary, percent none → 5, stickyBy none → ip',
    ],
    ['target', { target: 'legacy' }, 'route a: target svc → legacy'],
    ['timeout', { timeoutMs: 250 }, 'route a: timeoutMs none → 250'],
    ['fallback', { fallback: true }, 'route a: fallback none → true'],
    ['match', { match: { path: '/api/b' } }, 'route a: match {"path":"/api/a"} → {"path":"/api/b"}'],
  ])('reports a changed %s', (_field, change, text) => {
    expect(diffRuleSets(base([route('a')]), base([route('a', change)])).text).toBe(text);
  });

  it('reports added and removed routes and upstreams, and the legacy pointer', () => {
    const before = base([route('a'), route('b')]);
    const after = rules({
      legacy: 'old',
      upstreams: { old: { url: 'http://127.0.0.1:3009' }, svc: { url: 'http://127.0.0.1:3001' } },
      routes: [route('a'), route('c', { mode: 'canary', percent: 10, stickyBy: 'ip' })],
    });
    expect(diffRuleSets(before, after).text).toBe(
      'legacy: legacy → old; upstream legacy removed; upstream old added; route c added (canary 10 % on svc); route b removed',
    );
  });

  it.each<[string, RuleSetInput['pathMatching'], RuleSetInput['pathMatching'], string]>([
    ['a case-sensitive router', undefined, { caseSensitive: true }, 'pathMatching: caseSensitive false → true'],
    [
      'both options',
      { caseSensitive: true },
      { strictTrailingSlash: true },
      'pathMatching: caseSensitive true → false, strictTrailingSlash false → true',
    ],
    ['the defaults spelled out', undefined, { caseSensitive: false, strictTrailingSlash: false }, 'no changes'],
  ])('reports how paths match: %s', (_name, from, to, text) => {
    const document = (pathMatching: RuleSetInput['pathMatching']) =>
      rules({
        legacy: 'legacy',
        upstreams: { legacy: { url: 'http://127.0.0.1:3000' } },
        ...(pathMatching ? { pathMatching } : {}),
      });
    expect(diffRuleSets(document(from), document(to)).text).toBe(text);
  });

  it('reports a changed upstream address', () => {
    const after = base([], { svc: { urls: ['http://127.0.0.1:3001', 'http://127.0.0.1:3011'] } });
    expect(diffRuleSets(base([]), after).changes).toEqual([
      {
        kind: 'upstream',
        name: 'svc',
        change: 'changed',
        fields: [
          { field: 'url', from: 'http://127.0.0.1:3001', to: null },
          { field: 'urls', from: null, to: ['http://127.0.0.1:3001', 'http://127.0.0.1:3011'] },
        ],
      },
    ]);
  });

  it('reports a group move once, and other fields per route', () => {
    const before = base([route('a', { group: 'g' }), route('b', { group: 'g' })]);
    const after = base([
      route('a', { group: 'g', mode: 'live' }),
      route('b', { group: 'g', mode: 'live', retries: 2 }),
    ]);
    expect(diffRuleSets(before, after)).toEqual({
      text: 'group g: mode legacy → live; route b: retries none → 2',
      changes: [
        { kind: 'group', name: 'g', change: 'changed', fields: [{ field: 'mode', from: 'legacy', to: 'live' }] },
        { kind: 'route', name: 'b', change: 'changed', fields: [{ field: 'retries', from: null, to: 2 }] },
      ],
    });
  });

  it('reports what a route’s answers concern', () => {
    const before = base([route('a')]);
    const after = base([route('a', { consistency: ['product:*'] })]);
    expect(diffRuleSets(before, after).text).toBe('route a: consistency none → ["product:*"]');
    expect(diffRuleSets(after, base([route('a', { consistency: ['order:*'] })])).text).toBe(
      'route a: consistency ["product:*"] → ["order:*"]',
    );
  });

  it('reports a route joining a group in full', () => {
    const before = base([route('a', { group: 'g' }), route('b')]);
    const after = base([route('a', { group: 'g' }), route('b', { group: 'g' })]);
    expect(diffRuleSets(before, after).text).toBe('route b: group none → g');
    const added = diffRuleSets(base([route('a')]), base([route('a', { group: 'h', mode: 'live' })]));
    expect(added.text).toBe('group h added (live on svc); route a: mode legacy → live, group none → h');
  });

  it('reports only the routes that left their order', () => {
    const ids = ['a', 'b', 'c', 'd', 'e'];
    const before = base(ids.map((id) => route(id)));
    const moved = base(['e', 'a', 'b', 'c', 'd'].map((id) => route(id)));
    expect(diffRuleSets(before, moved).text).toBe('route e moved');
    const swapped = base(['a', 'c', 'b', 'd', 'e'].map((id) => route(id)));
    expect(diffRuleSets(before, swapped).changes).toHaveLength(1);
  });

  it('keeps the line short when much changed', () => {
    const after = base(Array.from({ length: 12 }, (_, i) => route(`r${i}`)));
    const text = diffRuleSets(base([]), after).text;
    expect(text.split('; ')).toHaveLength(9);
    expect(text).toMatch(/; and 4 more$/);
    expect(summaryText([])).toBe('no changes');
  });
});

describe('initialSummary', () => {
  it('counts instead of listing', () => {
    expect(initialSummary(base([route('a', { group: 'g' }), route('b')]))).toEqual({
      text: 'initial rules: 2 route(s) in 1 group(s) and alone, 2 upstream(s), legacy legacy',
      changes: [],
    });
  });
});

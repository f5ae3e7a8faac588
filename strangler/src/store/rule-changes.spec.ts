import { type RuleSetDocument, checkRuleSet } from '../rules';
import { changeGroup, changeRoute } from './rule-changes';
import { GroupNotFoundError, RouteNotFoundError } from './rule-store.errors';

const document = (() => {
  const check = checkRuleSet({
    legacy: 'legacy',
    upstreams: { legacy: { url: 'http://127.0.0.1:3000' }, svc: { url: 'http://127.0.0.1:3001' } },
    routes: [
      { id: 'a', match: { path: '/a' }, target: 'svc', mode: 'legacy', timeoutMs: 100 },
      { id: 'b', group: 'g', match: { path: '/b' }, target: 'svc', mode: 'legacy' },
      { id: 'c', group: 'g', match: { path: '/c' }, target: 'svc', mode: 'legacy' },
    ],
  });
  if (!check.ok) throw new Error(check.errors.join());
  return check.ruleSet;
})();

const modes = (rules: RuleSetDocument) => rules.routes.map((route) => route.mode);

describe('changeRoute', () => {
  it('changes the given fields of one route and leaves the others', () => {
    const next = changeRoute(document, 'a', { mode: 'canary', percent: 20, stickyBy: 'ip' });
    expect(next.routes[0]).toEqual({ ...document.routes[0], mode: 'canary', percent: 20, stickyBy: 'ip' });
    expect(next.routes.slice(1)).toEqual(document.routes.slice(1));
    expect(document.routes[0]?.mode).toBe('legacy');
  });

  it('removes a field given as null', () => {
    expect(changeRoute(document, 'a', { timeoutMs: null }).routes[0]).not.toHaveProperty('timeoutMs');
  });

  it('refuses an unknown id', () => {
    expect(() => changeRoute(document, 'x', { mode: 'live' })).toThrow(RouteNotFoundError);
  });
});

describe('changeGroup', () => {
  it('changes every route of the group alike', () => {
    expect(modes(changeGroup(document, 'g', { mode: 'live' }))).toEqual(['legacy', 'live', 'live']);
  });

  it('refuses a group no route belongs to', () => {
    expect(() => changeGroup(document, 'nope', { mode: 'live' })).toThrow(GroupNotFoundError);
  });
});

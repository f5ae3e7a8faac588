import { CompiledRuleSet, checkRuleSet } from '../../rules';
import { trafficReport } from './traffic-report';

const rules = (() => {
  const check = checkRuleSet({
    legacy: 'legacy',
    upstreams: { legacy: { url: 'http://127.0.0.1:3000' }, svc: { url: 'http://127.0.0.1:3001' } },
    routes: [
      { id: 'a', match: { path: '/a' }, target: 'svc', mode: 'canary', percent: 10, stickyBy: 'ip' },
      { id: 'b', group: 'g', match: { path: '/b' }, target: 'svc', mode: 'live' },
      { id: 'c', match: { path: '/c' }, target: 'legacy', mode: 'live' },
    ],
  });
  if (!check.ok) throw new Error(check.errors.join());
  return new CompiledRuleSet(3, check.ruleSet);
})();

const split = (routes: { route: string; total: number; upstreams: Record<string, number> }[]) => ({
  minutes: 5,
  since: '2025-01-01T00:00:00.000Z',
  routes,
});

describe('trafficReport', () => {
  it('lists every route in table order, zero when it had no traffic', () => {
    const report = trafficReport(rules, split([]));
    expect(report).toMatchObject({ version: 3, minutes: 5, since: '2025-01-01T00:00:00.000Z' });
    expect(report.routes).toEqual([
      expect.objectContaining({
        routeId: 'a',
        mode: 'canary',
        percent: 10,
        total: 0,
        targetShare: null,
        upstreams: {},
      }),
      expect.objectContaining({ routeId: 'b', group: 'g', mode: 'live', total: 0 }),
      expect.objectContaining({ routeId: 'c', total: 0 }),
    ]);
  });

  it('splits each route between legacy and its target', () => {
    const report = trafficReport(
      rules,
      split([
        { route: 'a', total: 10, upstreams: { legacy: 9, svc: 1 } },
        { route: 'c', total: 4, upstreams: { legacy: 4 } },
      ]),
    );
    expect(report.routes[0]).toMatchObject({ total: 10, legacyRequests: 9, targetRequests: 1, targetShare: 0.1 });
    // A route whose target is legacy itself never counts as moved.
    expect(report.routes[2]).toMatchObject({ total: 4, legacyRequests: 4, targetRequests: 0, targetShare: 0 });
  });

  it('counts what each side served, whatever the rules say now (after a rollback)', () => {
    const report = trafficReport(
      rules,
      split([
        // Served by svc while it was live; the rules now send c to legacy itself.
        { route: 'c', total: 67, upstreams: { legacy: 2, svc: 65 } },
        // Served by another upstream before b's target changed to svc.
        { route: 'b', total: 5, upstreams: { old: 3, svc: 2 } },
        // Removed from the rules since.
        { route: 'gone', total: 65, upstreams: { svc: 65 } },
      ]),
    );
    const rows = report.routes.map((row) => [row.routeId, row.total, row.legacyRequests, row.targetRequests]);
    expect(rows).toEqual([
      ['a', 0, 0, 0],
      ['b', 5, 0, 5],
      ['c', 67, 2, 65],
      ['gone', 65, 0, 65],
    ]);
    expect(report.routes[2]?.targetShare).toBeCloseTo(65 / 67);
    expect(report.routes[3]).toMatchObject({ mode: null, target: null, targetShare: 1 });
  });

  it('adds routes no longer in the rules, then unmatched requests', () => {
    const report = trafficReport(
      rules,
      split([
        { route: '-', total: 4, upstreams: { legacy: 4 } },
        { route: 'old', total: 2, upstreams: { svc: 2 } },
      ]),
    );
    expect(report.routes.map((row) => [row.routeId, row.mode, row.total, row.legacyRequests])).toEqual([
      ['a', 'canary', 0, 0],
      ['b', 'live', 0, 0],
      ['c', 'live', 0, 0],
      ['old', null, 2, 0],
      [null, null, 4, 4],
    ]);
  });
});

import {
  GroupNotFoundError,
  RouteNotFoundError,
  type RuleStore,
  RulesInvalidError,
  VersionConflictError,
  VersionNotFoundError,
} from '../../src/store';
import { sampleRules } from '../support/rule-store-harness';
import { RedisTargets, StoreTargetHarness } from './support/store-targets';

const by = (expectedVersion: number, reason = 'test') => ({ expectedVersion, author: 'ana', reason });

async function failure(promise: Promise<unknown>): Promise<Error & { code?: string }> {
  try {
    await promise;
  } catch (error) {
    return error as Error & { code?: string };
  }
  throw new Error('expected a failure');
}

const targets = new RedisTargets();
afterAll(() => targets.stop());

describe.each(targets.all)('the rule store on $name', (target) => {
  const harness = new StoreTargetHarness(target);
  let store: RuleStore;

  beforeAll(async () => {
    await harness.start();
    store = await harness.store();
  });
  afterAll(() => harness.cleanup());

  it('is empty at first', async () => {
    expect(await store.currentVersion()).toBe(0);
    expect(await store.current()).toBeUndefined();
    expect(await store.list()).toEqual({ current: 0, versions: [] });
    expect(await store.audit()).toEqual([]);
  });

  it('seeds version 1 once, then refuses to seed again', async () => {
    expect(await store.seed(sampleRules(), 'strangler@a', 'seeded from rules.yaml')).toEqual({
      seeded: true,
      version: 1,
    });
    expect(await store.seed({ ...sampleRules(), routes: [] }, 'strangler@b', 'seeded')).toEqual({
      seeded: false,
      version: 1,
    });
    const first = await store.get(1);
    expect(first).toMatchObject({
      version: 1,
      action: 'seed',
      author: 'strangler@a',
      reason: 'seeded from rules.yaml',
      basedOn: null,
      summary: { text: 'initial rules: 3 route(s) in 1 group(s) and alone, 3 upstream(s), legacy legacy' },
    });
    expect(first.document.routes.map((route) => route.id)).toEqual(['products-read', 'orders-read', 'orders-write']);
    expect(Date.parse(first.createdAt)).toBeGreaterThan(Date.now() - 60_000);
  });

  it('keeps its keys under the prefix, one hash per version', async () => {
    const keys = await harness.keys();
    expect(keys).toEqual([store.keys.audit, store.keys.current, store.keys.version(1)]);
    // As they always were on one Redis; on a cluster, with the hash tag that keeps them on one node.
    const base = `${harness.prefix}${target.cluster ? `{${harness.prefix}rules}` : ''}strangler:rules:`;
    expect(keys).toEqual([`${base}audit`, `${base}current`, `${base}version:1`]);
  });

  it('replaces the whole document as a new version, and keeps the old one as it was', async () => {
    const next = sampleRules();
    next.routes = [
      ...(next.routes ?? []),
      { id: 'stock', match: { path: '/api/stock/**' }, target: 'catalog', mode: 'shadow' },
    ];
    const result = await store.replace(next, by(1, 'add stock'));
    expect(result).toMatchObject({
      changed: true,
      warnings: [],
      version: { version: 2, action: 'replace', basedOn: 1, author: 'ana', reason: 'add stock' },
    });
    expect(result.version.summary).toEqual({
      text: 'route stock added (shadow on catalog)',
      changes: [
        {
          kind: 'route',
          name: 'stock',
          change: 'added',
          fields: [
            { field: 'mode', from: null, to: 'shadow' },
            { field: 'percent', from: null, to: null },
            { field: 'target', from: null, to: 'catalog' },
          ],
        },
      ],
    });
    expect((await store.get(1)).document.routes).toHaveLength(3);
    expect((await store.get(2)).document.routes).toHaveLength(4);
    expect((await store.current())?.version).toBe(2);
  });

  it('refuses a write that names a stale version, and writes nothing', async () => {
    const error = await failure(store.replace(sampleRules(), by(1)));
    expect(error).toBeInstanceOf(VersionConflictError);
    expect(error).toMatchObject({
      code: 'STRANGLER_VERSION_CONFLICT',
      expectedVersion: 1,
      currentVersion: 2,
      message: 'The rules are at version 2, not 1: read them again and retry.',
    });
    expect(await store.currentVersion()).toBe(2);
    expect(await failure(store.changeRoute('products-read', { mode: 'live' }, by(7)))).toBeInstanceOf(
      VersionConflictError,
    );
  });

  it('lets exactly one of many concurrent writers through', async () => {
    const writers = await Promise.all(Array.from({ length: 8 }, () => harness.store()));
    const before = await store.currentVersion();
    const outcomes = await Promise.allSettled(
      writers.map((writer, index) => writer.changeRoute('products-read', { timeoutMs: 1_000 + index }, by(before))),
    );
    const won = outcomes.filter((outcome) => outcome.status === 'fulfilled');
    const lost = outcomes.filter((outcome) => outcome.status === 'rejected');
    expect(won).toHaveLength(1);
    expect(lost.map((outcome) => (outcome as PromiseRejectedResult).reason.code)).toEqual(
      Array(7).fill('STRANGLER_VERSION_CONFLICT'),
    );
    expect(await store.currentVersion()).toBe(before + 1);
    expect((await store.audit({ limit: 100 })).filter((entry) => entry.version === before + 1)).toHaveLength(1);
  });

  it('refuses an invalid document with every problem, precisely, and writes nothing', async () => {
    const before = await store.currentVersion();
    const invalid = {
      legacy: 'legacy',
      upstreams: { legacy: { url: 'http://127.0.0.1:3000' } },
      routes: [
        { id: 'a', match: { path: '/api/a' }, target: 'nowhere', mode: 'live' },
        { id: 'a', match: { path: '/api/b' }, target: 'legacy', mode: 'canary' },
      ],
    };
    const error = await failure(store.replace(invalid, by(before)));
    expect(error).toBeInstanceOf(RulesInvalidError);
    expect(error).toMatchObject({
      code: 'STRANGLER_RULES_INVALID',
      messages: [
        'routes[0].target: "nowhere" is not an upstream (known: legacy)',
        'routes[1].id: "a" is used by routes[0] too',
        'routes[1].percent: required when mode is canary (0 to 100)',
        'routes[1].stickyBy: required when mode is canary (jwt.sub, ip, header:<name> or cookie:<name>)',
      ],
    });
    const shape = await failure(store.replace({ legacy: 'legacy', upstreams: {}, routes: [{ id: 'x' }] }, by(before)));
    expect((shape as RulesInvalidError).messages).toEqual(
      expect.arrayContaining([
        expect.stringMatching(/^routes\[0\]\.match: /),
        expect.stringMatching(/^routes\[0\]\.target: /),
        expect.stringMatching(/^routes\[0\]\.mode: /),
      ]),
    );
    expect(await store.currentVersion()).toBe(before);
  });

  it('changes one route, and removes a field given as null', async () => {
    const before = await store.currentVersion();
    const canary = await store.changeRoute(
      'products-read',
      { mode: 'canary', percent: 25, stickyBy: 'jwt.sub', timeoutMs: 2_000, fallback: true },
      by(before, '25 % of users'),
    );
    expect(canary.version).toMatchObject({ version: before + 1, action: 'route', subject: 'products-read' });
    expect(canary.version.summary.changes).toEqual([
      {
        kind: 'route',
        name: 'products-read',
        change: 'changed',
        fields: expect.arrayContaining([
          { field: 'mode', from: 'legacy', to: 'canary' },
          { field: 'percent', from: null, to: 25 },
          { field: 'stickyBy', from: null, to: 'jwt.sub' },
          { field: 'fallback', from: null, to: true },
        ]),
      },
    ]);
    expect(canary.version.summary.text).toContain('route products-read: mode legacy → canary, percent none → 25');
    const route = (await store.get(before + 1)).document.routes.find((r) => r.id === 'products-read');
    expect(route).toMatchObject({ mode: 'canary', percent: 25, timeoutMs: 2_000, fallback: true });

    await store.changeRoute('products-read', { timeoutMs: null }, by(before + 1));
    const after = (await store.get(before + 2)).document.routes.find((r) => r.id === 'products-read');
    expect(after).not.toHaveProperty('timeoutMs');
  });

  it('refuses to change an unknown route, or one route of a group alone', async () => {
    const current = await store.currentVersion();
    const missing = await failure(store.changeRoute('nope', { mode: 'live' }, by(current)));
    expect(missing).toBeInstanceOf(RouteNotFoundError);
    expect(missing.message).toBe('No route has the id "nope".');
    const alone = await failure(store.changeRoute('orders-write', { mode: 'live' }, by(current)));
    expect(alone).toBeInstanceOf(RulesInvalidError);
    expect((alone as RulesInvalidError).messages).toEqual([
      'routes[2].mode: group "orders" moves as one, but routes[1] has "legacy" and this route "live"',
    ]);
  });

  it('changes every route of a group alike, reported once for the group', async () => {
    const current = await store.currentVersion();
    const result = await store.changeGroup('orders', { mode: 'live', timeoutMs: 3_000 }, by(current, 'orders out'));
    expect(result.version).toMatchObject({ action: 'group', subject: 'orders' });
    expect(result.version.summary.changes).toEqual([
      { kind: 'group', name: 'orders', change: 'changed', fields: [{ field: 'mode', from: 'legacy', to: 'live' }] },
      {
        kind: 'route',
        name: 'orders-read',
        change: 'changed',
        fields: [{ field: 'timeoutMs', from: null, to: 3_000 }],
      },
      {
        kind: 'route',
        name: 'orders-write',
        change: 'changed',
        fields: [{ field: 'timeoutMs', from: null, to: 3_000 }],
      },
    ]);
    const routes = (await store.get(current + 1)).document.routes.filter((route) => route.group === 'orders');
    expect(routes.map((route) => [route.mode, route.timeoutMs])).toEqual([
      ['live', 3_000],
      ['live', 3_000],
    ]);
    expect(await failure(store.changeGroup('nope', { mode: 'live' }, by(current + 1)))).toBeInstanceOf(
      GroupNotFoundError,
    );
  });

  it('makes no version for a change that changes nothing', async () => {
    const current = await store.currentVersion();
    const result = await store.changeGroup('orders', { mode: 'live' }, by(current));
    expect(result).toMatchObject({ changed: false, version: { version: current } });
    expect(await store.currentVersion()).toBe(current);
  });

  it('rolls back to an earlier version as a new version with that document', async () => {
    const current = await store.currentVersion();
    const result = await store.rollback(1, by(current, 'back to the start'));
    expect(result.version).toMatchObject({
      version: current + 1,
      action: 'rollback',
      rollbackOf: 1,
      basedOn: current,
      reason: 'back to the start',
    });
    expect(result.version.summary.changes.map((change) => `${change.kind} ${change.name} ${change.change}`)).toEqual([
      'group orders changed',
      'route products-read changed',
      'route orders-read changed',
      'route orders-write changed',
      'route stock removed',
    ]);
    expect((await store.get(current + 1)).document).toEqual((await store.get(1)).document);
    expect(await store.get(current)).toMatchObject({ version: current });
    expect(await failure(store.rollback(999, by(current + 1)))).toBeInstanceOf(VersionNotFoundError);
  });

  it('lists versions newest first, in pages, without documents', async () => {
    const current = await store.currentVersion();
    const page = await store.list({ limit: 3 });
    expect(page.current).toBe(current);
    expect(page.versions.map((version) => version.version)).toEqual([current, current - 1, current - 2]);
    expect(page.versions[0]).not.toHaveProperty('document');
    const next = await store.list({ limit: 3, before: current - 2 });
    expect(next.versions.map((version) => version.version)).toEqual([current - 3, current - 4, current - 5]);
    expect(await failure(store.get(current + 1))).toMatchObject({ code: 'STRANGLER_VERSION_NOT_FOUND' });
  });

  it('keeps an audit log, newest first, in pages', async () => {
    const current = await store.currentVersion();
    const audit = await store.audit({ limit: 2 });
    expect(audit).toHaveLength(2);
    expect(audit[0]).toMatchObject({
      version: current,
      action: 'rollback',
      subject: '1',
      author: 'ana',
      reason: 'back to the start',
      summary: expect.stringContaining('route stock removed'),
    });
    const older = await store.audit({ limit: 100, before: audit[1]?.id });
    expect(older.map((entry) => entry.version)).toEqual(
      Array.from({ length: current - 2 }, (_, index) => current - 2 - index),
    );
    expect(older.at(-1)).toMatchObject({ version: 1, action: 'seed' });
  });

  it('diffs any two versions', async () => {
    const summary = await store.diff(1, 2);
    expect(summary.text).toBe('route stock added (shadow on catalog)');
    expect((await store.diff(2, 1)).text).toBe('route stock removed');
  });

  it('validates without writing, saying what would change', async () => {
    const current = await store.currentVersion();
    const next = sampleRules();
    next.routes?.reverse();
    const result = await store.validate(next);
    expect(result.basedOn).toBe(current);
    expect(result.summary.text).toBe('route orders-write moved; route orders-read moved');
    expect(await store.currentVersion()).toBe(current);
    expect(await failure(store.validate({ legacy: 'x' }))).toBeInstanceOf(RulesInvalidError);
  });
});

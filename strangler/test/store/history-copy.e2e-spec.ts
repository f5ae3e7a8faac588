import { appendFileSync, mkdirSync, readFileSync, readdirSync, renameSync, writeFileSync } from 'node:fs';
import { dirname } from 'node:path';
import { toRoutingRequest } from '../../src/rules';
import type { RuleStore, RuleSync } from '../../src/store';
import { eventually } from '../support/rule-store-harness';
import { RedisTargets, StoreTargetHarness } from './support/store-targets';

const by = (expectedVersion: number) => ({ expectedVersion, author: 'ana', reason: 'test' });

interface LogLine {
  readonly level: 'log' | 'warn' | 'error';
  readonly meta: Record<string, unknown>;
  readonly message: string;
}

function recordingLogger(lines: LogLine[]) {
  const record = (level: LogLine['level']) => (meta: Record<string, unknown>, message: string) =>
    void lines.push({ level, meta, message });
  return { log: record('log'), warn: record('warn'), error: record('error') };
}

/** Versions 2 to 5 over the seed: a canary, a group moved, the canary live, a rollback to 2. */
async function makeChanges(store: RuleStore): Promise<void> {
  await store.changeRoute('products-read', { mode: 'canary', percent: 10, stickyBy: 'jwt.sub' }, by(1));
  await store.changeGroup('orders', { mode: 'live' }, by(2));
  await store.changeRoute('products-read', { mode: 'live' }, by(3));
  await store.rollback(2, by(4));
}

/** What `rules history`, `rules show --version` and `audit` read. */
async function history(store: RuleStore) {
  const list = await store.list({ limit: 100 });
  const versions = await Promise.all(list.versions.map(({ version }) => store.get(version)));
  return { list, versions, audit: await store.audit({ limit: 100 }) };
}

function decide(sync: RuleSync, path: string) {
  const parsed = toRoutingRequest('GET', path, {}, '10.0.0.1');
  if (!parsed.ok) throw new Error(parsed.reason);
  return sync.rules.current.decide(parsed.request);
}

const targets = new RedisTargets();
afterAll(() => targets.stop());

describe.each(targets.all)('the history copy, when Redis loses its data, on $name', (target) => {
  let harness: StoreTargetHarness;
  let store: RuleStore;
  let logs: LogLine[];

  /**
   * A started sync with the history copy of `name` (or none). By default it checks when told
   * (`refresh`) or told of a version; a write-back without a usable copy needs periodic checks.
   */
  const instance = async (name: string, { withCopy = true, pollIntervalMs = 60_000 } = {}) => {
    const sync = await harness.sync({
      historyCopy: withCopy ? harness.historyCopy(name) : undefined,
      pollIntervalMs,
      instance: `strangler@${name}`,
      logger: recordingLogger(logs),
    });
    await sync.start();
    return sync;
  };

  const restores = () => logs.filter((line) => line.message.startsWith('Restored rules versions'));

  beforeEach(async () => {
    harness = await new StoreTargetHarness(target).start();
    store = await harness.store();
    logs = [];
  });

  afterEach(() => harness.cleanup());

  it('keeps every version and audit entry the instance sees, as Redis holds them', async () => {
    const a = await instance('a');
    await makeChanges(store);
    await a.refresh();
    expect(a.status().history).toEqual({
      file: harness.historyCopy('a').file,
      version: 5,
      code: null,
      problem: null,
    });
    const content = await harness.historyCopy('a').read();
    for (let version = 1; version <= 5; version++) {
      expect(content.versions.get(version)).toEqual(await harness.redis.hGetAll(store.keys.version(version)));
    }
    const audit = (await harness.redis.xRange(store.keys.audit, '-', '+')) ?? [];
    expect(content.audit).toEqual(audit.map(({ id, message }) => ({ id, fields: message })));
  });

  it('writes back the versions and audit entries Redis lost, so history, rollback and audit answer as before', async () => {
    const a = await instance('a');
    await makeChanges(store);
    await a.refresh();
    const before = await history(store);
    const rollbackTo3 = await store.validate((await store.get(3)).document);

    await harness.flush();
    await a.refresh();

    expect(await history(store)).toEqual(before);
    expect(before.list).toMatchObject({ current: 5 });
    expect(before.audit.map((entry) => entry.version)).toEqual([5, 4, 3, 2, 1]);
    expect(restores()).toEqual([
      expect.objectContaining({ level: 'warn', meta: expect.objectContaining({ from: 1, to: 5, auditEntries: 5 }) }),
    ]);
    const rollback = await store.rollback(3, { expectedVersion: 5, author: 'ana', reason: 'back to 3' });
    expect(rollback).toMatchObject({
      changed: true,
      version: { version: 6, action: 'rollback', rollbackOf: 3, basedOn: 5, summary: rollbackTo3.summary },
    });
    expect((await store.get(6)).document).toEqual(before.versions.find((v) => v.version === 3)?.document);
    expect((await store.audit({ limit: 100 })).slice(1)).toEqual(before.audit);
    await a.refresh();
    expect(a.rules.current.version).toBe(6);
    expect(a.status()).toMatchObject({ state: 'synced', storeVersion: 6, history: { version: 6, code: null } });
  });

  it('of two instances restoring at once, one writes: nothing is written twice', async () => {
    const [a, b] = [await instance('a'), await instance('b')];
    await makeChanges(store);
    await Promise.all([a.refresh(), b.refresh()]);
    const before = await history(store);

    await harness.flush();
    await Promise.all([a.refresh(), b.refresh()]);

    expect(await history(store)).toEqual(before);
    expect(restores()).toHaveLength(1);
    expect([a.status(), b.status()]).toEqual([
      expect.objectContaining({ state: 'synced', activeVersion: 5, storeVersion: 5 }),
      expect.objectContaining({ state: 'synced', activeVersion: 5, storeVersion: 5 }),
    ]);
    const next = await store.changeRoute('products-read', { mode: 'legacy' }, by(5));
    expect(next.version.version).toBe(6);
    await Promise.all([a.refresh(), b.refresh()]);
    expect([a.rules.current.version, b.rules.current.version]).toEqual([6, 6]);
  });

  it('writes back only what Redis lacks when it comes back with an older snapshot', async () => {
    const a = await instance('a');
    await store.changeRoute('products-read', { mode: 'canary', percent: 10, stickyBy: 'jwt.sub' }, by(1));
    const snapshot = {
      versions: await Promise.all([1, 2].map((n) => harness.redis.hGetAll(store.keys.version(n)))),
      audit: (await harness.redis.xRange(store.keys.audit, '-', '+')) ?? [],
    };
    await store.changeGroup('orders', { mode: 'live' }, by(2));
    await store.changeRoute('products-read', { mode: 'live' }, by(3));
    await a.refresh();
    const before = await history(store);

    await harness.flush();
    for (const [i, fields] of snapshot.versions.entries()) await harness.redis.hSet(store.keys.version(i + 1), fields);
    for (const { id, message } of snapshot.audit) await harness.redis.xAdd(store.keys.audit, id, message);
    await harness.redis.set(store.keys.current, '2');
    await a.refresh();

    expect(await history(store)).toEqual(before);
    expect(restores()).toEqual([
      expect.objectContaining({ meta: expect.objectContaining({ from: 3, to: 4, auditEntries: 2 }) }),
    ]);
  });

  it('restores at start-up when Redis lost its data while no instance ran, instead of seeding', async () => {
    const a = await instance('a');
    await makeChanges(store);
    await a.refresh();
    const before = await history(store);
    await a.stop();

    await harness.flush();
    const again = await instance('a');

    expect(again.rules.current.version).toBe(5);
    expect(await history(store)).toEqual(before);
  });

  it('keeps its copy when Redis loses its data between reading the version and comparing it, and restores it', async () => {
    const own = await harness.store();
    const a = await instance('a', { withCopy: true });
    await makeChanges(store);
    await a.refresh();
    const before = await history(store);
    // The loss comes between the check's read of the current version and its look at that version.
    const read = own.currentVersion.bind(own);
    let lose = false;
    own.currentVersion = async () => {
      const version = await read();
      if (lose) {
        lose = false;
        await harness.flush();
      }
      return version;
    };
    const racing = await harness.sync({
      store: own,
      historyCopy: harness.historyCopy('a'),
      instance: 'strangler@a',
      logger: recordingLogger(logs),
    });
    await a.stop();
    await racing.start();
    lose = true;
    await racing.refresh();
    expect(logs.filter((line) => line.meta.code === 'STRANGLER_HISTORY_COPY_DIVERGED')).toEqual([]);
    await racing.refresh();
    expect(await history(store)).toEqual(before);
    expect(racing.status().history).toMatchObject({ version: 5, code: null });
  });

  it('sets a copy aside when Redis holds another history, and follows Redis', async () => {
    const a = await instance('a', { pollIntervalMs: 1_000 });
    await makeChanges(store);
    await a.refresh();
    // Just after one of a's periodic checks, so that the next one comes well after the seed below
    // (an instance connects in about 10 ms to one Redis, in up to 150 ms to a cluster).
    const checked = a.status().lastCheckAt;
    await eventually(() => a.status().lastCheckAt !== checked, 5_000);
    await harness.flush();
    // An instance without a copy seeds the empty store before this one restores it.
    await instance('fresh', { withCopy: false });

    await eventually(async () => (await store.currentVersion()) === 5);

    const copyFile = harness.historyCopy('a').file;
    expect(logs).toContainEqual(
      expect.objectContaining({
        level: 'warn',
        meta: expect.objectContaining({ code: 'STRANGLER_HISTORY_COPY_DIVERGED' }),
      }),
    );
    const aside = readdirSync(dirname(copyFile)).filter((name) => name.includes('.diverged-'));
    expect(aside).toHaveLength(1);
    // Without a copy that holds it, the version routed with is written back alone, as before.
    expect(await store.list()).toMatchObject({
      current: 5,
      versions: [
        { version: 5, action: 'restore' },
        { version: 1, action: 'seed' },
      ],
    });
    expect(a.rules.current.version).toBe(5);
    await a.refresh();
    expect([...(await harness.historyCopy('a').read()).versions.keys()]).toEqual([1, 5]);
    expect(a.status().history).toMatchObject({ version: 5, code: null });
  });

  describe('a copy that cannot be used', () => {
    it('is reported with STRANGLER_HISTORY_COPY_CORRUPT, left as it is, and routing goes on', async () => {
      const a = await instance('a');
      await makeChanges(store);
      await a.refresh();
      await a.stop();
      const file = harness.historyCopy('a').file;
      const lines = readFileSync(file, 'utf8').split('\n');
      lines[2] = '{"kind":"version","version":2,"fields":';
      const corrupt = lines.join('\n');
      writeFileSync(file, corrupt);

      const b = await instance('a', { pollIntervalMs: 100 });

      // Version 5 is version 2 again: a 10 % canary, sticky by JWT subject (none here: legacy).
      const canaryOfVersion2 = {
        route: expect.objectContaining({ id: 'products-read', mode: 'canary', percent: 10 }),
        side: 'legacy',
      };
      expect(b.status()).toMatchObject({
        state: 'synced',
        activeVersion: 5,
        history: {
          file,
          version: 0,
          code: 'STRANGLER_HISTORY_COPY_CORRUPT',
          problem: `The history copy ${file} is corrupt at line 3: not JSON. Move the file aside: the instance makes a new copy from Redis.`,
        },
      });
      expect(logs).toContainEqual(
        expect.objectContaining({ level: 'error', meta: { code: 'STRANGLER_HISTORY_COPY_CORRUPT', file } }),
      );
      expect(decide(b, '/api/products/1')).toMatchObject(canaryOfVersion2);

      // Redis loses its data: the version routed with is written back alone, as without a copy.
      await harness.flush();
      await eventually(async () => (await store.currentVersion()) === 5);
      expect(await store.list()).toMatchObject({ current: 5, versions: [{ version: 5, action: 'restore' }] });
      expect(decide(b, '/api/products/1')).toMatchObject(canaryOfVersion2);
      expect(readFileSync(file, 'utf8')).toBe(corrupt);

      // Moved aside, the copy is made again from Redis.
      renameSync(file, `${file}.bad`);
      await b.refresh();
      expect(b.status().history).toEqual({ file, version: 5, code: null, problem: null });
      expect([...(await harness.historyCopy('a').read()).versions.keys()]).toEqual([5]);
    });

    it('lets an instance whose copy holds the history restore it first', async () => {
      const a = await instance('a');
      const b = await instance('b');
      await makeChanges(store);
      await Promise.all([a.refresh(), b.refresh()]);
      const before = await history(store);
      await b.stop();
      writeFileSync(harness.historyCopy('b').file, 'garbage\n');
      const broken = await instance('b');
      expect(broken.status().history?.code).toBe('STRANGLER_HISTORY_COPY_CORRUPT');

      await harness.flush();
      // Its first check after the loss writes nothing: it waits some half a poll for the others.
      await broken.refresh();
      expect(await store.currentVersion()).toBe(0);
      await a.refresh();
      await broken.refresh();

      expect(await history(store)).toEqual(before);
      expect(broken.status()).toMatchObject({ state: 'synced', activeVersion: 5, storeVersion: 5 });
    });

    it('is reported with STRANGLER_HISTORY_COPY_UNAVAILABLE when it cannot be read', async () => {
      const file = harness.historyCopy('a').file;
      mkdirSync(file, { recursive: true });

      const a = await instance('a');

      expect(a.status()).toMatchObject({
        state: 'synced',
        activeVersion: 1,
        history: {
          code: 'STRANGLER_HISTORY_COPY_UNAVAILABLE',
          problem: expect.stringMatching(/^The history copy .+ cannot be read or written: .*EISDIR/),
        },
      });
      expect(decide(a, '/api/products/1')).toMatchObject({ upstream: 'legacy' });
    });
  });

  it('drops a last line cut short by a crash before it appends', async () => {
    const a = await instance('a');
    await a.stop();
    const file = harness.historyCopy('a').file;
    appendFileSync(file, '{"kind":"version","vers');

    const b = await instance('a');
    await makeChanges(store);
    await b.refresh();

    expect(b.status().history).toMatchObject({ version: 5, code: null });
    expect([...(await harness.historyCopy('a').read()).versions.keys()]).toEqual([1, 2, 3, 4, 5]);
    expect(readFileSync(file, 'utf8').endsWith('\n')).toBe(true);
  });
});

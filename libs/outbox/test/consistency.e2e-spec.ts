import { randomUUID } from 'node:crypto';
import { APPLIED_HEADER, AWAIT_HEADER, CONSISTENCY_HEADER, POSITIONS_HEADER } from '@app/contracts';
import { eventually } from '../../../tools/testing/test-streams';
import { ConsistencyApp, consistencyAppFor, customer, product, started } from './support/consistency-app';
import { DATABASES, OutboxHarness } from './support/outbox-harness';

/** Resolves once a request of `app` has read the inbox, not found its positions, and waits (its re-check timer is set). */
const waitingAfterRead = (app: ConsistencyApp) =>
  eventually(
    async () => ({ requests: app.gate.waiting, timers: app.clock.pending.length }),
    (now) => now.requests === 1 && now.timers === 1,
  );

describe.each(DATABASES)('reads see the writes before them, on one side (%s)', (kind) => {
  const fixture = consistencyAppFor(kind);

  const write = (body: object) => fixture.app.http().post('/fixture/writes').send(body);
  const notesAwaiting = (positions: string) => fixture.app.http().get('/fixture/notes').set(AWAIT_HEADER, positions);
  const waits = async () =>
    (await fixture.app.metric('consistency_wait_seconds_count', { outcome: 'applied' })) +
    (await fixture.app.metric('consistency_wait_seconds_count', { outcome: 'stale' }));

  describe('a write answers with the positions it committed', () => {
    it('lists the highest sequence of each aggregate its transactions numbered, and no snapshot', async () => {
      const [c1, c2, p1] = [randomUUID(), randomUUID(), randomUUID()];

      const response = await write({
        transactions: [[customer(c1), customer(c1), product(p1), customer(c2, true)], [customer(c2)]],
      });

      expect(response.status).toBe(201);
      expect(response.body).toEqual({ sequences: [1, 2, 1, null, 1] });
      expect(response.headers[POSITIONS_HEADER]).toBe(
        `tests:customer:${c1}:2,tests:product:${p1}:1,tests:customer:${c2}:1`,
      );
    });

    it('lists nothing a rolled-back transaction numbered, on an error answer too', async () => {
      const [rolledBack, kept, alsoRolledBack] = [randomUUID(), randomUUID(), randomUUID()];

      const refused = await write({ transactions: [[customer(rolledBack)]], failLast: true });
      const partly = await write({ transactions: [[customer(kept)], [customer(alsoRolledBack)]], failLast: true });
      const again = await write({ transactions: [[customer(rolledBack)]] });

      expect([refused.status, refused.body.code]).toEqual([409, 'FIXTURE_REFUSED']);
      expect(refused.headers[POSITIONS_HEADER]).toBeUndefined();
      expect(partly.status).toBe(409);
      expect(partly.headers[POSITIONS_HEADER]).toBe(`tests:customer:${kept}:1`);
      // The number the rollback gave back is taken again: the refused answer promised nothing.
      expect(again.headers[POSITIONS_HEADER]).toBe(`tests:customer:${rolledBack}:1`);
    });

    it("gives each of concurrent writes its own positions (the store follows each request through the database's queue)", async () => {
      const ids = Array.from({ length: 8 }, () => randomUUID());

      const responses = await Promise.all(
        ids.map((id) => write({ transactions: [[customer(id)], [product(id), customer(id)]] })),
      );

      expect(responses.map((response) => response.headers[POSITIONS_HEADER])).toEqual(
        ids.map((id) => `tests:customer:${id}:2,tests:product:${id}:1`),
      );
    });

    it('answers a request that committed nothing without the header', async () => {
      const response = await fixture.app.http().get('/fixture/notes');

      expect(response.status).toBe(200);
      expect(response.headers[POSITIONS_HEADER]).toBeUndefined();
    });
  });

  describe('a request awaiting positions', () => {
    // The waits run on a ManualClock that no test advances unless it says so: a request answered
    // without it was woken by the apply itself, never by a poll.
    it('is answered once the inbox applied them, woken by the apply, with the state after it', async () => {
      const id = randomUUID();
      const pending = started(notesAwaiting(`payments:customer:${id}:1`));
      await waitingAfterRead(fixture.app);

      await fixture.app.apply({ origin: 'payments', aggregateId: id, sequence: 1 }, `credited ${id}`);
      const response = await pending;

      expect(response.status).toBe(200);
      expect(response.body.notes).toContain(`credited ${id}`);
      expect(response.headers[CONSISTENCY_HEADER]).toBeUndefined();
      // For the facade: it stops sending these positions here.
      expect(response.headers[APPLIED_HEADER]).toBe('true');
    });

    it('waits for an event parked behind its predecessor until both are applied', async () => {
      const id = randomUUID();
      await fixture.app.apply({ origin: 'payments', aggregateId: id, sequence: 2 }, `second ${id}`);
      const pending = started(notesAwaiting(`payments:customer:${id}:2`));
      await waitingAfterRead(fixture.app);

      await fixture.app.apply({ origin: 'payments', aggregateId: id, sequence: 1 }, `first ${id}`);
      const response = await pending;

      expect(response.status).toBe(200);
      expect(response.body.notes).toEqual(expect.arrayContaining([`first ${id}`, `second ${id}`]));
      expect(response.headers[CONSISTENCY_HEADER]).toBeUndefined();
    });

    it('is woken by a snapshot that reflects them', async () => {
      const id = randomUUID();
      const pending = started(notesAwaiting(`payments:customer:${id}:3,legacy-monolith:customer:${id}:1`));
      await waitingAfterRead(fixture.app);

      await fixture.app.applySnapshot(id, { payments: 5, 'legacy-monolith': 1 }, `snapshot ${id}`);
      const response = await pending;

      expect(response.body.notes).toContain(`snapshot ${id}`);
      expect(response.headers[CONSISTENCY_HEADER]).toBeUndefined();
    });

    it('answers at once when they are applied already, as a write too', async () => {
      const id = randomUUID();
      await fixture.app.apply({ origin: 'payments', aggregateId: id, sequence: 1 }, `before ${id}`);

      const response = await write({ transactions: [[customer(id)]] }).set(AWAIT_HEADER, `payments:customer:${id}:1`);

      expect(response.status).toBe(201);
      expect(response.headers[POSITIONS_HEADER]).toBe(`tests:customer:${id}:1`);
      expect(response.headers[CONSISTENCY_HEADER]).toBeUndefined();
    });

    it('answers stale past CONSISTENCY_WAIT_MS, and counts it', async () => {
      const stale = await fixture.app.metric('consistency_stale_total');
      const staleWaits = await fixture.app.metric('consistency_wait_seconds_count', { outcome: 'stale' });
      const pending = started(notesAwaiting(`payments:customer:${randomUUID()}:1`));
      await waitingAfterRead(fixture.app);

      await fixture.app.clock.advance(2_000);
      const response = await pending;

      expect(response.status).toBe(200);
      expect(response.headers[CONSISTENCY_HEADER]).toBe('stale');
      expect(response.headers[APPLIED_HEADER]).toBeUndefined();
      expect(await fixture.app.metric('consistency_stale_total')).toBe(stale + 1);
      expect(await fixture.app.metric('consistency_wait_seconds_count', { outcome: 'stale' })).toBe(staleWaits + 1);
    });

    it("never waits for this side's own positions", async () => {
      const before = await waits();

      const response = await notesAwaiting(`tests:customer:${randomUUID()}:7`);

      expect(response.status).toBe(200);
      expect(response.headers[CONSISTENCY_HEADER]).toBeUndefined();
      expect(response.headers[APPLIED_HEADER]).toBe('true');
      expect(await waits()).toBe(before);
    });

    it.each([
      ['an entry that is not origin:type:id:sequence', 'payments:customer:abc'],
      ['a sequence of 0', `payments:customer:${randomUUID()}:0`],
      ['more than 500 positions', Array.from({ length: 501 }, (_, i) => `payments:customer:c${i}:1`).join(',')],
    ])('refuses %s with 400 CONSISTENCY_POSITIONS_INVALID, before the handler runs', async (_case, header) => {
      const id = randomUUID();

      const refused = await write({ transactions: [[customer(id)]] }).set(AWAIT_HEADER, header);
      const next = await write({ transactions: [[customer(id)]] });

      expect({ status: refused.status, code: refused.body.code }).toEqual({
        status: 400,
        code: 'CONSISTENCY_POSITIONS_INVALID',
      });
      expect(refused.body.message).toMatch(/^x-ficus-await: /);
      expect(refused.headers[POSITIONS_HEADER]).toBeUndefined();
      expect(next.headers[POSITIONS_HEADER]).toBe(`tests:customer:${id}:1`);
    });
  });
});

describe('reads see the writes before them, across replicas (postgres)', () => {
  const harness = new OutboxHarness();
  let app: ConsistencyApp;
  let replica: ConsistencyApp;
  beforeAll(async () => {
    await harness.start();
    const database = await harness.database('postgres');
    app = await ConsistencyApp.start(database, harness.prefix);
    replica = await ConsistencyApp.start(database, harness.prefix);
  });
  afterAll(async () => {
    await replica?.close();
    await app?.close();
    await harness.cleanup();
  });

  it('sees an apply of another instance, which it cannot hear, at its next re-check', async () => {
    const id = randomUUID();
    const pending = started(app.http().get('/fixture/notes').set(AWAIT_HEADER, `payments:customer:${id}:1`));
    await waitingAfterRead(app);

    await replica.apply({ origin: 'payments', aggregateId: id, sequence: 1 }, `on the replica ${id}`);
    expect(app.gate.waiting).toBe(1);
    await app.clock.advance(250);
    const response = await pending;

    expect(response.body.notes).toContain(`on the replica ${id}`);
    expect(response.headers[CONSISTENCY_HEADER]).toBeUndefined();
  });
});

describe('reads see the writes before them, for the aggregates a side applies (sqlite)', () => {
  const harness = new OutboxHarness();
  let app: ConsistencyApp;
  beforeAll(async () => {
    await harness.start();
    app = await ConsistencyApp.start(await harness.database('sqlite'), harness.prefix, {
      appliedAggregateTypes: ['customer'],
    });
  });
  afterAll(async () => {
    await app?.close();
    await harness.cleanup();
  });

  it('does not wait for an aggregate type it never applies', async () => {
    const response = await app.http().get('/fixture/notes').set(AWAIT_HEADER, `payments:product:${randomUUID()}:4`);

    expect(response.status).toBe(200);
    expect(response.headers[CONSISTENCY_HEADER]).toBeUndefined();
  });
});

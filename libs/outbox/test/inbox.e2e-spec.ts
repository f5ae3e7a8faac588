import { randomUUID } from 'node:crypto';
import type { EntityManager } from 'typeorm';
import type { InboxOutcome } from '@app/outbox';
import { DATABASES, type OutboxInstance, OutboxHarness, failureOf, newEvent, sleep } from './support/outbox-harness';
import { TestLedgerEntity } from './support/test-ledger';

const times = <T>(count: number, make: (index: number) => T): T[] => Array.from({ length: count }, (_, i) => make(i));

/** A handler's work: one ledger row, returned as its result. */
const write = (manager: EntityManager, note: string) => async () => {
  await manager.insert(TestLedgerEntity, { id: randomUUID(), note });
  return note;
};

describe.each(DATABASES)('the inbox on %s', (kind) => {
  const harness = new OutboxHarness();
  let app: OutboxInstance;
  beforeAll(async () => {
    await harness.start();
    app = await harness.instance(kind, { origin: 'catalog', settings: { startRelay: false } });
  });
  afterAll(() => harness.cleanup());

  const recorded = async (consumer: string, messageId: string) =>
    (
      await app.query('SELECT message_id FROM inbox_messages WHERE consumer = ? AND message_id = ?', [
        consumer,
        messageId,
      ])
    ).length === 1;

  describe('once', () => {
    it('runs the work once per consumer and message; a redelivery is a no-op', async () => {
      const messageId = randomUUID();
      const note = `once-${messageId}`;
      const first = await app.transaction((m) => app.inbox.once(m, messageId, 'catalog', write(m, note)));
      const again = await app.transaction((m) => app.inbox.once(m, messageId, 'catalog', write(m, note)));
      const otherConsumer = await app.transaction((m) => app.inbox.once(m, messageId, 'reports', write(m, note)));

      expect(first).toEqual({ applied: true, result: note });
      expect(again).toEqual({ applied: false, reason: 'duplicate' });
      expect(otherConsumer).toEqual({ applied: true, result: note });
      expect((await app.ledger()).filter((n) => n === note)).toHaveLength(2);
    });

    it('forgets the message when the work fails, so that the retry applies it', async () => {
      const messageId = randomUUID();
      const note = `retried-${messageId}`;
      const failure = await failureOf(
        app.transaction((m) =>
          app.inbox.once(m, messageId, 'catalog', async () => {
            await write(m, note)();
            throw new Error('the handler failed');
          }),
        ),
      );
      expect(failure.message).toBe('the handler failed');
      expect(await recorded('catalog', messageId)).toBe(false);
      expect(await app.ledger()).not.toContain(note);

      const retry = await app.transaction((m) => app.inbox.once(m, messageId, 'catalog', write(m, note)));
      expect(retry).toEqual({ applied: true, result: note });
      expect((await app.ledger()).filter((n) => n === note)).toHaveLength(1);
    });

    it('applies concurrent deliveries of one message exactly once', async () => {
      const messageId = randomUUID();
      const note = `concurrent-${messageId}`;
      const outcomes = await Promise.all(
        times(8, () =>
          app.transaction(async (m) => {
            const outcome = await app.inbox.once(m, messageId, 'catalog', write(m, note));
            // Hold the transaction, so that the other deliveries run into the uncommitted record.
            await sleep(10);
            return outcome;
          }),
        ),
      );
      expect(outcomes.filter((o) => o.applied)).toHaveLength(1);
      expect(outcomes.filter((o) => !o.applied)).toEqual(times(7, () => ({ applied: false, reason: 'duplicate' })));
      expect((await app.ledger()).filter((n) => n === note)).toHaveLength(1);
    });

    it('refuses a manager outside a transaction and an empty message id', async () => {
      expect(
        await failureOf(app.inbox.once(app.dataSource.manager, randomUUID(), 'catalog', async () => 1)),
      ).toMatchObject({ code: 'INBOX_NOT_IN_TRANSACTION' });
      expect(await failureOf(app.transaction((m) => app.inbox.once(m, '', 'catalog', async () => 1)))).toMatchObject({
        code: 'INBOX_MESSAGE_INVALID',
      });
    });
  });

  describe('apply', () => {
    const event = (aggregateId: string, sequence: number, origin = 'legacy') => ({
      id: randomUUID(),
      origin,
      aggregateType: 'product',
      aggregateId,
      sequence,
    });
    const apply = (e: ReturnType<typeof event>, note = `${e.aggregateId}:${e.origin}:${e.sequence}`) =>
      app.transaction((m) => app.inbox.apply(m, e, 'catalog', write(m, note)));
    const applied = (aggregateId: string) =>
      app.transaction((m) => app.inbox.appliedSequences(m, 'catalog', 'product', aggregateId));
    const notesOf = async (aggregateId: string) => (await app.ledger()).filter((n) => n.startsWith(aggregateId));

    it('applies in order, skips what was applied, refuses a gap without recording it, then fills it', async () => {
      const productId = randomUUID();
      const [one, two, three, four, five] = times(5, (i) => event(productId, i + 1));
      expect(await apply(one!)).toEqual({ applied: true, result: `${productId}:legacy:1` });
      expect(await apply(two!)).toMatchObject({ applied: true });
      expect(await apply(two!)).toEqual({ applied: false, reason: 'duplicate' });
      // The same sequence under another message id is the same change: also skipped.
      expect(await apply({ ...one!, id: randomUUID() })).toEqual({ applied: false, reason: 'duplicate' });

      const gap = await failureOf(apply(four!));
      expect(gap).toMatchObject({ code: 'INBOX_OUT_OF_ORDER' });
      expect(gap.message).toMatch(/up to 2; .*waits for 3/);
      expect(await recorded('catalog', four!.id)).toBe(false);
      expect(await applied(productId)).toEqual({ legacy: 2 });

      expect(await apply(three!)).toMatchObject({ applied: true });
      expect(await apply(four!)).toMatchObject({ applied: true });
      expect(await apply(five!)).toMatchObject({ applied: true });
      expect(await applied(productId)).toEqual({ legacy: 5 });
      expect(await notesOf(productId)).toEqual(times(5, (i) => `${productId}:legacy:${i + 1}`));
    });

    it('keeps each origin in order on its own', async () => {
      const productId = randomUUID();
      await apply(event(productId, 1, 'legacy'));
      await apply(event(productId, 1, 'inventory'));
      await apply(event(productId, 2, 'inventory'));
      expect(await failureOf(apply(event(productId, 3, 'legacy')))).toMatchObject({ code: 'INBOX_OUT_OF_ORDER' });
      expect(await applied(productId)).toEqual({ inventory: 2, legacy: 1 });
    });

    it('applies concurrent deliveries of one event once, and concurrent events of one aggregate in order', async () => {
      const productId = randomUUID();
      const first = event(productId, 1);
      const outcomes = await Promise.all(times(6, () => apply(first)));
      expect(outcomes.filter((o) => o.applied)).toHaveLength(1);

      // Events 2..6 arrive at once in any order: those too early fail and are retried, as the transport does.
      const pending = times(5, (i) => event(productId, i + 2)).reverse();
      const results: InboxOutcome<string>[] = [];
      for (let round = 0; pending.length > 0 && round < 10; round++) {
        const settled = await Promise.allSettled(pending.map((e) => apply(e)));
        for (let i = settled.length - 1; i >= 0; i--) {
          const result = settled[i]!;
          if (result.status === 'fulfilled') {
            results.push(result.value);
            pending.splice(i, 1);
          } else {
            expect(result.reason).toMatchObject({ code: 'INBOX_OUT_OF_ORDER' });
          }
        }
      }
      expect(results.every((r) => r.applied)).toBe(true);
      expect(await notesOf(productId)).toEqual(times(6, (i) => `${productId}:legacy:${i + 1}`));
      expect(await applied(productId)).toEqual({ legacy: 6 });
    });

    it('refuses a sequence below 1', async () => {
      expect(await failureOf(apply(event(randomUUID(), 0)))).toMatchObject({ code: 'INBOX_MESSAGE_INVALID' });
    });
  });

  describe('applySnapshot', () => {
    const snapshot = (aggregateId: string, sequences: Record<string, number>) => ({
      id: randomUUID(),
      aggregateType: 'product',
      aggregateId,
      sequences,
    });
    const applySnapshot = (s: ReturnType<typeof snapshot> & { partOf?: string }) =>
      app.transaction((m) =>
        app.inbox.applySnapshot(m, s, 'catalog', write(m, `${s.aggregateId}:snapshot:${JSON.stringify(s.sequences)}`)),
      );
    const apply = (aggregateId: string, sequence: number, origin = 'legacy') =>
      app.transaction((m) =>
        app.inbox.apply(
          m,
          { id: randomUUID(), origin, aggregateType: 'product', aggregateId, sequence },
          'catalog',
          write(m, `${aggregateId}:${origin}:${sequence}`),
        ),
      );
    const applied = (aggregateId: string) =>
      app.transaction((m) => app.inbox.appliedSequences(m, 'catalog', 'product', aggregateId));

    it('applies a snapshot to a fresh consumer and continues with the deltas after its vector', async () => {
      const productId = randomUUID();
      const first = snapshot(productId, { legacy: 5, orders: 2 });
      expect(await applySnapshot(first)).toMatchObject({ applied: true });
      expect(await applied(productId)).toEqual({ legacy: 5, orders: 2 });

      expect(await apply(productId, 5)).toEqual({ applied: false, reason: 'duplicate' });
      expect(await apply(productId, 6)).toMatchObject({ applied: true });
      expect(await failureOf(apply(productId, 8))).toMatchObject({ code: 'INBOX_OUT_OF_ORDER' });
      expect(await apply(productId, 3, 'orders')).toMatchObject({ applied: true });
      expect(await applied(productId)).toEqual({ legacy: 6, orders: 3 });
      // A redelivery of the snapshot is a duplicate; a snapshot older than what was applied is stale.
      expect(await applySnapshot(first)).toEqual({ applied: false, reason: 'duplicate' });
      expect(await applySnapshot(snapshot(productId, { legacy: 5, orders: 3 }))).toEqual({
        applied: false,
        reason: 'stale',
      });
      expect(await applied(productId)).toEqual({ legacy: 6, orders: 3 });
    });

    it('skips a snapshot that lacks an origin already applied (missing counts as 0)', async () => {
      const productId = randomUUID();
      await apply(productId, 1, 'inventory');
      expect(await applySnapshot(snapshot(productId, { legacy: 9 }))).toEqual({ applied: false, reason: 'stale' });
      expect((await app.ledger()).filter((n) => n.startsWith(`${productId}:snapshot`))).toEqual([]);
      expect(await applied(productId)).toEqual({ inventory: 1 });
    });

    it('applies an equal snapshot again harmlessly, leaving the vector as it was', async () => {
      const productId = randomUUID();
      expect(await applySnapshot(snapshot(productId, { legacy: 4 }))).toMatchObject({ applied: true });
      expect(await applySnapshot(snapshot(productId, { legacy: 4 }))).toMatchObject({ applied: true });
      expect(await applied(productId)).toEqual({ legacy: 4 });
      expect(await apply(productId, 5)).toMatchObject({ applied: true });
    });

    it("compares the own origin with the outbox's current sequence, and never records it as applied", async () => {
      const productId = randomUUID();
      // This service (origin catalog) changed the product twice itself.
      await app.add([
        { ...newEvent(productId), aggregateType: 'product' },
        { ...newEvent(productId), aggregateType: 'product' },
      ]);
      expect(await applySnapshot(snapshot(productId, { legacy: 3, catalog: 1 }))).toEqual({
        applied: false,
        reason: 'stale',
      });
      expect(await applySnapshot(snapshot(productId, { legacy: 3 }))).toEqual({ applied: false, reason: 'stale' });
      expect(await applySnapshot(snapshot(productId, { legacy: 3, catalog: 2 }))).toMatchObject({ applied: true });
      expect(await applied(productId)).toEqual({ legacy: 3 });
      expect(await app.transaction((m) => app.outbox.currentSequence(m, 'product', productId))).toBe(2);
    });

    it('refuses a negative sequence in the vector', async () => {
      expect(await failureOf(applySnapshot(snapshot(randomUUID(), { legacy: -1 })))).toMatchObject({
        code: 'INBOX_MESSAGE_INVALID',
      });
    });

    describe("of one origin's part (partOf)", () => {
      const applyPart = (s: ReturnType<typeof snapshot>) => applySnapshot({ ...s, partOf: 'inventory' });

      it('applies when it brings its origin forward and matches every other origin, and advances its origin alone', async () => {
        const productId = randomUUID();
        await apply(productId, 1);
        await apply(productId, 1, 'inventory');
        // Not ahead on inventory: nothing to bring.
        expect(await applyPart(snapshot(productId, { legacy: 1, inventory: 1 }))).toEqual({
          applied: false,
          reason: 'stale',
        });
        // Inventory counted a legacy delta this side has not applied (or lacks one it has): not now.
        expect(await applyPart(snapshot(productId, { legacy: 2, inventory: 4 }))).toEqual({
          applied: false,
          reason: 'stale',
        });
        expect(await applyPart(snapshot(productId, { legacy: 0, inventory: 4 }))).toEqual({
          applied: false,
          reason: 'stale',
        });
        expect((await app.ledger()).filter((n) => n.startsWith(`${productId}:snapshot`))).toEqual([]);

        expect(await applyPart(snapshot(productId, { legacy: 1, inventory: 4 }))).toMatchObject({ applied: true });
        expect(await applied(productId)).toEqual({ legacy: 1, inventory: 4 });
        expect(await apply(productId, 4, 'inventory')).toEqual({ applied: false, reason: 'duplicate' });
        expect(await apply(productId, 5, 'inventory')).toMatchObject({ applied: true });
      });

      it("does not apply while it reflects another origin's events that this side has not applied", async () => {
        const productId = randomUUID();
        expect(await applyPart(snapshot(productId, { inventory: 2, orders: 1 }))).toEqual({
          applied: false,
          reason: 'stale',
        });
        expect(await applyPart(snapshot(productId, { inventory: 2 }))).toMatchObject({ applied: true });
        expect(await applied(productId)).toEqual({ inventory: 2 });
      });
    });
  });
});

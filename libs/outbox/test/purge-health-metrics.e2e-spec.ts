import { randomUUID } from 'node:crypto';
import { OUTBOX_OPTIONS, OutboxModule, type OutboxOptions } from '@app/outbox';
import { DATABASES, OutboxHarness, eventually, failureOf, newEvent } from './support/outbox-harness';

const DAY_MS = 24 * 3_600_000;
const daysAgo = (days: number) => new Date(Date.now() - days * DAY_MS).toISOString();

describe.each(DATABASES)('purge, health and metrics on %s', (kind) => {
  const harness = new OutboxHarness();
  beforeAll(() => harness.start());
  afterEach(() => harness.closeAll());
  afterAll(() => harness.cleanup());

  it('purges published rows and inbox messages past their retention, in batches, and nothing else', async () => {
    const app = await harness.instance(kind, { settings: { startRelay: false, purgeBatchSize: 2 } });
    const customerId = randomUUID();
    const published = await app.add([
      newEvent(customerId),
      newEvent(customerId),
      newEvent(customerId),
      newEvent(customerId),
    ]);
    expect(await app.relay.publishNow()).toBe(4);
    const [waiting] = await app.add([newEvent(customerId)]);
    // Three published two days ago, one just now; one never published, however old.
    await app.query(`UPDATE outbox_events SET published_at = ? WHERE id IN (?, ?, ?)`, [
      daysAgo(2),
      published[0]!.id,
      published[1]!.id,
      published[2]!.id,
    ]);
    await app.query('UPDATE outbox_events SET created_at = ? WHERE id = ?', [daysAgo(30), waiting!.id]);
    const [oldMessage, newMessage] = [randomUUID(), randomUUID()];
    for (const messageId of [oldMessage, newMessage]) {
      await app.transaction((m) => app.inbox.once(m, messageId, 'catalog', async () => undefined));
    }
    await app.transaction((m) =>
      app.inbox.apply(
        m,
        { id: randomUUID(), origin: 'legacy', aggregateType: 'product', aggregateId: 'p-1', sequence: 1 },
        'catalog',
        async () => undefined,
      ),
    );
    await app.query('UPDATE inbox_messages SET processed_at = ? WHERE message_id <> ?', [daysAgo(8), newMessage]);
    await app.query('UPDATE inbox_sequences SET updated_at = ?', [daysAgo(400)]);

    expect(await app.purger.purge()).toEqual({ outboxEvents: 3, inboxMessages: 2 });

    expect((await app.rows()).map((row) => row.id)).toEqual([published[3]!.id, waiting!.id]);
    expect((await app.query('SELECT message_id FROM inbox_messages')).map((r) => r.message_id)).toEqual([newMessage]);
    expect(await app.transaction((m) => app.inbox.appliedSequences(m, 'catalog', 'product', 'p-1'))).toEqual({
      legacy: 1,
    });
    // A second purge finds nothing; a purge a month later takes the rest that was published.
    expect(await app.purger.purge()).toEqual({ outboxEvents: 0, inboxMessages: 0 });
    expect(await app.purger.purge(new Date(Date.now() + 30 * DAY_MS))).toEqual({ outboxEvents: 1, inboxMessages: 1 });
    expect((await app.rows()).map((row) => row.id)).toEqual([waiting!.id]);
  });

  it('is ready while the backlog is young, and not when the oldest row waits too long or the database is gone', async () => {
    const app = await harness.instance(kind, { settings: { startRelay: false, maxLagMs: 300 } });
    expect(await app.health.check()).toEqual({
      outbox: { status: 'up', unpublished: 0, oldestAgeMs: null, maxLagMs: 300 },
    });

    await app.add([newEvent(randomUUID())]);
    const young = await app.health.check();
    expect(young.outbox).toMatchObject({ status: 'up', unpublished: 1 });
    // Real time passes (the age is the database's timestamps against now): wait until the check says so.
    let late = young;
    await eventually(
      async () => {
        late = await app.health.check();
        return late.outbox?.status === 'down';
      },
      5_000,
      'the backlog to be too old',
    );
    expect(late.outbox).toMatchObject({ status: 'down', unpublished: 1, maxLagMs: 300 });
    expect(late.outbox?.message).toMatch(/oldest unpublished event has waited \d+ ms \(limit 300 ms\)/);
    expect(Number(late.outbox?.oldestAgeMs)).toBeGreaterThan(300);

    expect(await app.relay.publishNow()).toBe(1);
    expect((await app.health.check()).outbox).toMatchObject({ status: 'up', unpublished: 0 });

    await app.relay.stop();
    await app.dataSource.destroy();
    const gone = await app.health.check();
    expect(gone.outbox).toMatchObject({ status: 'down', message: expect.stringMatching(/database does not answer/) });
  });

  it('exposes its counters, the backlog and the commit-to-stream time', async () => {
    const app = await harness.instance(kind, { origin: 'catalog', settings: { startRelay: false } });
    const customerId = randomUUID();
    await app.add([newEvent(customerId), newEvent(customerId)]);
    expect(await app.relay.publishNow()).toBe(2);
    await app.add([newEvent(customerId)]);
    const messageId = randomUUID();
    await app.transaction((m) => app.inbox.once(m, messageId, 'catalog', async () => undefined));
    await app.transaction((m) => app.inbox.once(m, messageId, 'catalog', async () => undefined));
    const productId = randomUUID();
    const sequenced = (sequence: number) => ({
      id: randomUUID(),
      origin: 'legacy',
      aggregateType: 'product',
      aggregateId: productId,
      sequence,
    });
    await failureOf(app.transaction((m) => app.inbox.apply(m, sequenced(2), 'catalog', async () => undefined)));
    await app.transaction((m) => app.inbox.apply(m, sequenced(1), 'catalog', async () => undefined));
    await app.transaction((m) =>
      app.inbox.applySnapshot(
        m,
        { id: randomUUID(), aggregateType: 'product', aggregateId: productId, sequences: {} },
        'catalog',
        async () => undefined,
      ),
    );

    const text = await app.metrics.registry.metrics();
    const line = (name: string, labels: string[] = []) =>
      new RegExp(`^${name}\\{${labels.map((l) => `(?=[^}]*${l})`).join('')}[^}]*\\} (\\S+)$`, 'm');
    const value = (name: string, labels: string[] = []) => Number(line(name, labels).exec(text)?.[1]);

    expect(value('outbox_published_total')).toBe(2);
    expect(value('outbox_publish_failures_total')).toBe(0);
    expect(value('outbox_unpublished_events')).toBe(1);
    expect(value('outbox_oldest_unpublished_age_seconds')).toBeGreaterThanOrEqual(0);
    expect(value('outbox_commit_to_stream_seconds_count')).toBe(2);
    const inbox = (outcome: string) => value('inbox_messages_total', ['consumer="catalog"', `outcome="${outcome}"`]);
    expect([inbox('applied'), inbox('duplicate'), inbox('stale'), inbox('out_of_order')]).toEqual([2, 1, 1, 1]);
    // The relay's Redis client reports to the same registry.
    expect(value('streams_messages_published_total', ['pattern="customer.changed"', 'kind="event"'])).toBe(2);
  });

  it('reads its settings from the environment, and refuses bad options when the module is created', async () => {
    const app = await harness.instance(kind, {
      settings: { startRelay: false },
      env: { OUTBOX_BATCH_SIZE: '7', OUTBOX_MAX_LAG_MS: '1234', INBOX_RETENTION_HOURS: '2' },
    });
    expect(app.app.get<OutboxOptions>(OUTBOX_OPTIONS)).toMatchObject({
      origin: 'tests',
      batchSize: 7,
      maxLagMs: 1_234,
      inboxRetentionMs: 2 * 3_600_000,
      pollIntervalMs: 1_000,
      outboxRetentionMs: 24 * 3_600_000,
    });

    expect(() => OutboxModule.forRoot({ origin: 'Not A Name' })).toThrow(
      expect.objectContaining({
        code: 'OUTBOX_OPTIONS_INVALID',
        message: expect.stringMatching(/origin must be 1 to 100 of a-z/),
      }),
    );
    expect(() => OutboxModule.forRoot({ origin: 'tests', settings: { batchSize: 0 } })).toThrow(/batchSize/);
  });
});

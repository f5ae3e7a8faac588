import { randomUUID } from 'node:crypto';
import type { AddedEvent } from '@app/outbox';
import {
  DATABASES,
  type OutboxInstance,
  OutboxHarness,
  type StreamEntry,
  eventually,
  newEvent,
  sleep,
} from './support/outbox-harness';

const times = <T>(count: number, make: (index: number) => T): T[] => Array.from({ length: count }, (_, i) => make(i));

/** For each aggregate, the sequences in the order the stream holds them. */
function sequencesByAggregate(entries: readonly StreamEntry[]): Record<string, number[]> {
  const byAggregate: Record<string, number[]> = {};
  for (const { envelope } of entries) {
    const aggregateId = String(envelope.data.customerId);
    (byAggregate[aggregateId] ??= []).push(Number(envelope.data.sequence));
  }
  return byAggregate;
}

const countsOf = (values: readonly string[]) => {
  const counts = new Map<string, number>();
  for (const value of values) counts.set(value, (counts.get(value) ?? 0) + 1);
  return counts;
};

async function drained(instances: readonly OutboxInstance[]): Promise<boolean> {
  return (await instances[0]!.outbox.backlog()).unpublished === 0;
}

describe.each(DATABASES)('the outbox under concurrency on %s', (kind) => {
  const harness = new OutboxHarness();
  beforeAll(() => harness.start());
  afterEach(() => harness.closeAll());
  afterAll(() => harness.cleanup());

  it('numbers 20 concurrent transactions on one aggregate 1..20 exactly once and publishes them in that order', async () => {
    const app = await harness.instance(kind, { settings: { pollIntervalMs: 50 } });
    const customerId = randomUUID();
    const added: AddedEvent[] = await Promise.all(
      times(20, (n) =>
        app.transaction(async (manager) => {
          const event = await app.outbox.add(manager, newEvent(customerId, { customerId, n }, 'customer.raced'));
          // Keep the transaction open a little, so that the others queue up on the aggregate.
          await sleep(n % 3);
          return event;
        }),
      ),
    );

    expect(added.map((event) => event.sequence).sort((a, b) => (a ?? 0) - (b ?? 0))).toEqual(times(20, (i) => i + 1));
    await eventually(async () => (await harness.entries('customer.raced')).length >= 20, 10_000, '20 entries');
    const entries = await harness.entries('customer.raced');
    expect(entries.map((e) => e.envelope.data.sequence)).toEqual(times(20, (i) => i + 1));
    expect(new Set(entries.map((e) => e.envelope.id)).size).toBe(20);
    // Insertion order is commit order for one aggregate: the row numbered n was inserted n-th.
    const rows = (await app.rows()).filter((row) => row.aggregateId === customerId);
    expect(rows.map((row) => row.sequence)).toEqual(times(20, (i) => i + 1));
  });

  it('publishes 500 rows once each, in order per aggregate, with two relays on one database', async () => {
    const first = await harness.instance(kind, { settings: { startRelay: false, batchSize: 20, pollIntervalMs: 20 } });
    const second = await harness.instance(kind, {
      database: first.database,
      settings: { startRelay: false, batchSize: 20, pollIntervalMs: 20 },
    });
    const instances = [first, second];
    const customers = times(10, () => randomUUID());
    const add = (n: number) =>
      instances[n % 2]!.add([
        newEvent(
          customers[n % customers.length]!,
          { customerId: customers[n % customers.length], n },
          'customer.relayed',
        ),
      ]);

    if (kind === 'postgres') {
      // Both relays run while rows are added by both apps, 10 transactions at a time.
      first.relay.start();
      second.relay.start();
      for (let n = 0; n < 500; n += 10) await Promise.all(times(10, (i) => add(n + i)));
    } else {
      // Two DataSources on one SQLite file in one process: a write on one blocks the thread while the
      // other holds the write lock, so the rows are added first (separate processes have no such limit).
      for (let n = 0; n < 500; n++) await add(n);
      first.relay.start();
      second.relay.start();
    }
    await eventually(() => drained(instances), 30_000, 'every row to be published');
    await Promise.all(instances.map((instance) => instance.relay.stop()));

    const entries = await harness.entries('customer.relayed');
    const ids = entries.map((e) => e.envelope.id);
    expect(ids).toHaveLength(500);
    expect([...countsOf(ids).values()].every((count) => count === 1)).toBe(true);
    const rows = await first.rows();
    expect(new Set(ids)).toEqual(new Set(rows.map((row) => row.id)));
    for (const sequences of Object.values(sequencesByAggregate(entries))) {
      expect(sequences).toEqual(times(sequences.length, (i) => i + 1));
    }
    expect(rows.every((row) => row.publishedAt !== null && row.attempts === 1)).toBe(true);
  });
});

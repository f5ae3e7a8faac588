import { freePort } from '../tools/stack/test/support/launcher';
import { eventually } from '../tools/testing/test-streams';
import { type AnsweredWrite, FaultStack, type OutboxRow } from './support/fault-stack';
import type { MigrationStack } from './support/migration-stack';

/** A gap older than this makes a consumer not ready (shorter than by default, for a short test). */
const GAP_READY_LIMIT_MS = 2_000;

/** A write answered 2xx and the outbox row of its event, described alike: the aggregate and its state after the write. */
function describeWrite(write: AnsweredWrite): string {
  return write.kind === 'deposit'
    ? `wallet.credited ${write.customerId} +${write.amountCents} = ${write.balanceCents}`
    : `stock.adjusted ${write.productId} ${write.delta} = ${write.stock}`;
}

function describeRow({ pattern, data }: OutboxRow): string {
  return pattern === 'wallet.credited'
    ? `${pattern} ${String(data.customerId)} +${String(data.amountCents)} = ${String(data.balanceCents)}`
    : `${pattern} ${String(data.productId)} ${String(data.delta)} = ${String(data.stock)}`;
}

/** The descriptions of `wanted` that `found` does not hold (each found one matches one wanted). */
function missing(wanted: readonly string[], found: readonly string[]): string[] {
  const left = [...found];
  return wanted.filter((item) => {
    const at = left.indexOf(item);
    if (at >= 0) left.splice(at, 1);
    return at < 0;
  });
}

interface Readiness {
  readonly status: number;
  readonly events?: {
    readonly status: string;
    readonly gaps?: { readonly parked: number; readonly oldestGapAgeMs: number | null };
    readonly problems?: readonly string[];
  };
}

describe('convergence after faults: a process SIGKILLed (also between commit and publish), Redis restarted with and without its data, a stream trimmed, a group deleted, a gap held open', () => {
  let faults: FaultStack;
  let stack: MigrationStack;

  /** The ids of the entries of `<prefix>evt:<pattern>`. */
  const streamIds = (pattern: string) =>
    faults.redis(
      async (client) =>
        new Set(
          ((await client.xRange(faults.stream(pattern), '-', '+')) ?? []).map((entry) => String(entry.message.id)),
        ),
    );

  beforeAll(async () => {
    // Nothing listens there: the launcher starts a redis-server of its own, with an append-only file.
    faults = await FaultStack.start('faults', `redis://127.0.0.1:${await freePort()}`, {
      EVENTS_GAP_READY_LIMIT_MS: String(GAP_READY_LIMIT_MS),
    });
    stack = faults.stack;
  }, 180_000);

  afterAll(async () => {
    await faults?.stop();
  }, 60_000);

  it.each(['payments', 'legacy-monolith', 'inventory', 'catalog'])(
    'SIGKILL of %s under load: started again, every side equal, every 2xx answer on every side, no dead letter',
    async (name) => {
      const readyAgain = new RegExp(`${name} is ready again`);
      const before = stack.printed(readyAgain);
      await faults.underLoad(async () => {
        process.kill(stack.pidOf(name), 'SIGKILL');
        await stack.waitPrinted(readyAgain, before + 1);
      });
    },
    240_000,
  );

  it.each([
    ['payments', 'deposit', 'wallet.credited'],
    ['inventory', 'stock', 'stock.adjusted'],
  ] as const)(
    'SIGKILL of %s between commit and publish: the events of its writes answered 2xx are published once it is back, every side equal',
    async (name, kind, pattern) => {
      const exited = new RegExp(`${name} exited unexpectedly`);
      const readyAgain = new RegExp(`${name} is ready again`);
      const [exitedBefore, readyBefore] = [stack.printed(exited), stack.printed(readyAgain)];
      await faults.underLoad(async () => {
        // While Redis refuses XADD, what the process commits stays in its outbox: a write sent from
        // now on is committed, answered, and not published (its relay is refused).
        await faults.refuseEventWrites();
        const round = ++faults.answered.round;
        const unpublishedWrites = () =>
          faults.answered.writes.filter((write) => write.round === round && write.kind === kind);
        let acknowledged: AnsweredWrite[];
        let pending: OutboxRow[];
        try {
          await eventually(
            async () => unpublishedWrites().length,
            (count) => count >= 3,
            30_000,
          );
          acknowledged = [...unpublishedWrites()];
          process.kill(stack.pidOf(name), 'SIGKILL');
          await stack.waitPrinted(exited, exitedBefore + 1);
          // What the killed process left unpublished (its successor cannot publish while Redis refuses).
          pending = faults.outbox(name, 'unpublished');
        } finally {
          await faults.acceptEventWrites();
        }
        expect(missing(acknowledged.map(describeWrite), pending.map(describeRow))).toEqual([]);
        await stack.waitPrinted(readyAgain, readyBefore + 1);
        // The restarted process published them (and marked them published in its outbox).
        const ids = pending.filter((row) => row.pattern === pattern).map((row) => row.id);
        const published = await eventually(
          () => streamIds(pattern),
          (found) => ids.every((id) => found.has(id)),
          30_000,
        );
        expect(ids.filter((id) => !published.has(id))).toEqual([]);
        const rows = new Map(faults.outbox(name).map((row) => [row.id, row]));
        expect(ids.filter((id) => !rows.get(id)?.published)).toEqual([]);
      });
    },
    240_000,
  );

  it('Redis SIGKILLed under load and started again from its append-only file: every side equal', async () => {
    const started = /started redis-server \(pid (\d+)\)/g;
    const before = stack.printed(started);
    await faults.underLoad(async () => {
      const pid = Number([...stack.output.matchAll(started)].at(-1)![1]);
      process.kill(pid, 'SIGKILL');
      await stack.waitPrinted(started, before + 1);
    });
  }, 240_000);

  it('Redis losing all its data under load (FLUSHALL, its clients staying connected): every side equal, the rules kept', async () => {
    const version = await stack.routingVersion();
    await faults.underLoad(async () => {
      await faults.redis((client) => client.flushAll());
    });
    // The facade restored its rules (and their history) from its own copy: it routes as before.
    expect(await stack.routingVersion()).toBeGreaterThanOrEqual(version);
    // Every writing side noticed that Redis no longer held what it had published, and published it again.
    // (Each looks at Redis's mark every second, or when it publishes next.)
    const republished = async (name: 'legacy' | 'payments' | 'inventory') => {
      const metrics = await (await fetch(`${stack.url(name)}/metrics`)).text();
      return Number(/^outbox_republished_total\{[^}]*\} (\d+)$/m.exec(metrics)?.[1] ?? 0);
    };
    const counts = async () => [
      await republished('legacy'),
      await republished('payments'),
      await republished('inventory'),
    ];
    await eventually(counts, (found) => found.every((count) => count > 0), 30_000);
    expect((await counts()).map((count) => count > 0)).toEqual([true, true, true]);
    const again = await stack.syncVerify(60);
    expect({ status: again.status, differences: again.report.differences }).toEqual({ status: 0, differences: [] });
  }, 240_000);

  it('a stream trimmed past unread entries and a consumer group deleted, under load: every side equal', async () => {
    await faults.underLoad(async () => {
      await faults.redis(async (client) => {
        await client.xTrim(faults.stream('wallet.credited'), 'MAXLEN', 0);
        await client.xGroupDestroy(faults.stream('stock.adjusted'), 'catalog');
      });
    });
  }, 240_000);

  it('a gap held open (events lost before the monolith read them, their repair refused by Redis): not ready until it is repaired, then ready and every side equal', async () => {
    const monolith = stack.pidOf('legacy-monolith');
    const wallets = faults.stream('wallet.credited');
    const readiness = async (): Promise<Readiness> => {
      const response = await fetch(`${stack.url('legacy')}/health/ready`);
      const body = (await response.json()) as { details?: { events?: Readiness['events'] } };
      return { status: response.status, events: body.details?.events };
    };
    /** The monolith's wallet.credited entries it has not been given yet, for one customer. */
    const unread = (customerId: string) =>
      faults.redis(async (client) => {
        const group = (await client.xInfoGroups(wallets)).find((info) => info.name === 'legacy-monolith');
        const entries = await client.xRange(wallets, `(${String(group?.['last-delivered-id'])}`, '+');
        return (entries ?? [])
          .filter(
            (entry) => (JSON.parse(String(entry.message.data)) as { customerId: string }).customerId === customerId,
          )
          .map((entry) => entry.id);
      });
    expect((await readiness()).status).toBe(200);

    await faults.underLoad(async () => {
      // Frozen, the monolith reads nothing: three deposits of one customer wait for it in the stream.
      process.kill(monolith, 'SIGSTOP');
      let lost: string[];
      try {
        let customerId = '';
        for (const amountCents of [11, 12, 13]) ({ customerId } = await faults.deposit(0, amountCents));
        await eventually(
          () => unread(customerId),
          (ids) => ids.length >= 2,
          30_000,
        );
        // Nothing can be published from now on, nor a repair asked for: the entries before the
        // customer's last one are lost, and the monolith will see the last without its predecessor.
        await faults.refuseEventWrites();
        lost = (await unread(customerId)).slice(0, -1);
        await faults.redis((client) => client.xDel(wallets, lost));
      } finally {
        process.kill(monolith, 'SIGCONT');
      }
      expect(lost.length).toBeGreaterThan(0);
      try {
        const open = await eventually(
          readiness,
          (ready) => ready.status === 503 && (ready.events?.problems ?? []).some((line) => line.includes('a gap')),
          30_000,
        );
        expect(open.events).toMatchObject({ status: 'down', gaps: { parked: expect.any(Number) } });
        expect(open.events?.gaps?.parked).toBeGreaterThan(0);
        expect(open.events?.gaps?.oldestGapAgeMs).toBeGreaterThan(GAP_READY_LIMIT_MS);
      } finally {
        await faults.acceptEventWrites();
      }
      // The monolith asks payments to send the customer's events again, applies them and is ready again.
      const closed = await eventually(readiness, (ready) => ready.status === 200, 30_000);
      expect(closed.events).toMatchObject({ status: 'up', gaps: { parked: 0, oldestGapAgeMs: null } });
    });
  }, 240_000);
});

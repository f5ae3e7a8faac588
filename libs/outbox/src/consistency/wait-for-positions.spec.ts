import type { Position } from '@app/contracts';
import { ManualClock } from '@app/redis-streams';
import { AppliedPositions, appliedKey, keyOfPosition } from './applied-positions';
import { CONSISTENCY_RECHECK_MS, waitForPositions } from './wait-for-positions';

const CONSUMER = 'legacy-monolith';
const awaited: Position = { origin: 'payments', aggregateType: 'customer', aggregateId: 'c1', sequence: 4 };
const row = keyOfPosition(CONSUMER, awaited);

/** An inbox whose applied sequence a test sets, counting the reads. */
class FakeInbox {
  applied = 0;
  reads: number[] = [];
  constructor(private readonly clock: ManualClock) {}
  read = async (positions: readonly Position[]) => {
    this.reads.push(this.clock.now());
    expect(positions).toEqual([awaited]);
    return new Map(this.applied > 0 ? [[appliedKey(row), this.applied]] : []);
  };
}

/** Lets the promise chain of the wait run up to its next timer. */
const settle = () => new Promise((resolve) => setImmediate(resolve));

describe('waitForPositions', () => {
  let clock: ManualClock;
  let inbox: FakeInbox;
  let waiters: AppliedPositions;
  const start = (waitMs = 2_000) =>
    waitForPositions({ watch: waiters.watch(CONSUMER, [awaited]), read: inbox.read, waitMs, clock });

  beforeEach(() => {
    clock = new ManualClock(0);
    inbox = new FakeInbox(clock);
    waiters = new AppliedPositions();
  });

  it('answers at once, after one read, when the inbox has applied the position', async () => {
    inbox.applied = 4;
    await expect(start()).resolves.toEqual({ applied: true, waitedMs: 0, reads: 1 });
    expect(clock.pending).toEqual([]);
    expect(waiters.size).toBe(0);
  });

  it("is woken by this process's apply, without reading again", async () => {
    const waiting = start();
    await settle();
    await clock.advance(100);
    waiters.notify(row, 4);
    await expect(waiting).resolves.toEqual({ applied: true, waitedMs: 100, reads: 1 });
    expect(clock.pending).toEqual([]);
  });

  it('keeps waiting through an apply of an earlier sequence', async () => {
    const waiting = start();
    await settle();
    waiters.notify(row, 3);
    await settle();
    await clock.advance(10);
    waiters.notify(row, 4);
    await expect(waiting).resolves.toMatchObject({ applied: true, waitedMs: 10 });
  });

  it(`reads again every ${CONSISTENCY_RECHECK_MS} ms, for applies of other instances`, async () => {
    const waiting = start();
    await settle();
    await clock.advance(CONSISTENCY_RECHECK_MS);
    await settle();
    inbox.applied = 4;
    await clock.advance(CONSISTENCY_RECHECK_MS);
    await expect(waiting).resolves.toEqual({ applied: true, waitedMs: 500, reads: 3 });
    expect(inbox.reads).toEqual([0, 250, 500]);
  });

  it('gives up at the deadline, after a last read there, and stops listening', async () => {
    const waiting = start(600);
    for (let i = 0; i < 3; i++) {
      await settle();
      await clock.advanceToNext();
    }
    await expect(waiting).resolves.toEqual({ applied: false, waitedMs: 600, reads: 4 });
    expect(inbox.reads).toEqual([0, 250, 500, 600]);
    expect(waiters.size).toBe(0);
  });

  it('reads once and does not wait when the wait is 0', async () => {
    await expect(start(0)).resolves.toEqual({ applied: false, waitedMs: 0, reads: 1 });
    expect(clock.pending).toEqual([]);
    expect(waiters.size).toBe(0);
  });
});

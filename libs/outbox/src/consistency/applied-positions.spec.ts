import type { Position } from '@app/contracts';
import { AppliedPositions, PositionWatch, appliedKey } from './applied-positions';

const position = (aggregateId: string, sequence: number, origin = 'payments'): Position => ({
  origin,
  aggregateType: 'customer',
  aggregateId,
  sequence,
});
const key = (aggregateId: string, origin = 'payments', consumer = 'legacy-monolith') =>
  appliedKey({ consumer, aggregateType: 'customer', aggregateId, origin });

describe('PositionWatch', () => {
  it('is met once every position is applied at or beyond its sequence', async () => {
    const watch = new PositionWatch('legacy-monolith', [position('a', 3), position('b', 1)]);

    watch.applied(key('a'), 2);
    watch.applied(key('b'), 1);
    expect(watch.met).toBe(false);
    expect(watch.remaining).toEqual([position('a', 3)]);

    watch.applied(key('a'), 5);
    expect(watch.met).toBe(true);
    await expect(watch.done).resolves.toBeUndefined();
  });

  it('is met at once when it awaits nothing', async () => {
    const watch = new PositionWatch('legacy-monolith', []);
    expect(watch.met).toBe(true);
    await expect(watch.done).resolves.toBeUndefined();
  });

  it('tells another origin, consumer or aggregate apart', () => {
    const watch = new PositionWatch('legacy-monolith', [position('a', 1)]);
    watch.applied(key('a', 'inventory'), 9);
    watch.applied(key('a', 'payments', 'catalog'), 9);
    watch.applied(key('b'), 9);
    expect(watch.met).toBe(false);
  });
});

describe('AppliedPositions', () => {
  it('wakes the watches of an applied row, and forgets each row once heard or cancelled', async () => {
    const applied = new AppliedPositions();
    const both = applied.watch('legacy-monolith', [position('a', 2), position('b', 1)]);
    const other = applied.watch('legacy-monolith', [position('a', 1)]);
    expect(applied.size).toBe(2);

    applied.notify({ consumer: 'legacy-monolith', aggregateType: 'customer', aggregateId: 'a', origin: 'payments' }, 1);
    await expect(other.done).resolves.toBeUndefined();
    expect(both.met).toBe(false);

    applied.notify({ consumer: 'legacy-monolith', aggregateType: 'customer', aggregateId: 'a', origin: 'payments' }, 2);
    expect(both.remaining).toEqual([position('b', 1)]);
    expect(applied.size).toBe(1);

    both.cancel();
    expect(applied.size).toBe(0);
    applied.notify({ consumer: 'legacy-monolith', aggregateType: 'customer', aggregateId: 'b', origin: 'payments' }, 1);
    expect(both.met).toBe(false);
  });
});

import { ManualClock } from './clock';
import { DeadlineQueue } from './deadline-queue';

describe('DeadlineQueue', () => {
  let clock: ManualClock;
  beforeEach(() => (clock = new ManualClock(1_000_000)));

  it('expires each entry at its own deadline, per timeout, in order', async () => {
    const expired: string[] = [];
    const queue = new DeadlineQueue((id, timeoutMs) => expired.push(`${id}/${timeoutMs}`), clock);
    queue.add('a', 100);
    await clock.advance(30);
    queue.add('b', 100);
    queue.add('c', 50);
    await clock.advance(49);
    expect(expired).toEqual([]);
    await clock.advance(1);
    expect(expired).toEqual(['c/50']);
    await clock.advance(20);
    expect(expired).toEqual(['c/50', 'a/100']);
    await clock.advance(29);
    expect(expired).toEqual(['c/50', 'a/100']);
    await clock.advance(1);
    expect(expired).toEqual(['c/50', 'a/100', 'b/100']);
  });

  it('keeps one timer per timeout however many entries wait', () => {
    const queue = new DeadlineQueue(() => undefined, clock);
    for (let i = 0; i < 1_000; i++) queue.add(String(i), 5_000);
    queue.add('x', 10);
    expect(clock.pending).toHaveLength(2);
    queue.clear();
    expect(clock.pending).toHaveLength(0);
  });

  it('goes on after a lane empties and refills', async () => {
    const expired: string[] = [];
    const queue = new DeadlineQueue((id) => expired.push(id), clock);
    queue.add('a', 10);
    await clock.advance(10);
    queue.add('b', 10);
    await clock.advance(10);
    expect(expired).toEqual(['a', 'b']);
  });
});

import { DeadlineQueue } from './deadline-queue';

describe('DeadlineQueue', () => {
  beforeEach(() => jest.useFakeTimers({ now: 1_000_000 }));
  afterEach(() => jest.useRealTimers());

  it('expires each entry at its own deadline, per timeout, in order', () => {
    const expired: string[] = [];
    const queue = new DeadlineQueue((id, timeoutMs) => expired.push(`${id}/${timeoutMs}`));
    queue.add('a', 100);
    jest.advanceTimersByTime(30);
    queue.add('b', 100);
    queue.add('c', 50);
    jest.advanceTimersByTime(49);
    expect(expired).toEqual([]);
    jest.advanceTimersByTime(1);
    expect(expired).toEqual(['c/50']);
    jest.advanceTimersByTime(20);
    expect(expired).toEqual(['c/50', 'a/100']);
    jest.advanceTimersByTime(29);
    expect(expired).toEqual(['c/50', 'a/100']);
    jest.advanceTimersByTime(1);
    expect(expired).toEqual(['c/50', 'a/100', 'b/100']);
  });

  it('keeps one timer per timeout however many entries wait', () => {
    const queue = new DeadlineQueue(() => undefined);
    for (let i = 0; i < 1_000; i++) queue.add(String(i), 5_000);
    queue.add('x', 10);
    expect(jest.getTimerCount()).toBe(2);
    queue.clear();
    expect(jest.getTimerCount()).toBe(0);
  });

  it('goes on after a lane empties and refills', () => {
    const expired: string[] = [];
    const queue = new DeadlineQueue((id) => expired.push(id));
    queue.add('a', 10);
    jest.advanceTimersByTime(10);
    queue.add('b', 10);
    jest.advanceTimersByTime(10);
    expect(expired).toEqual(['a', 'b']);
  });
});

import { GuardWindow } from './guard-window';

describe('GuardWindow', () => {
  it('judges nothing until it holds minRequests answers', () => {
    const window = new GuardWindow({ maxErrorRate: 0.1, windowMs: 10_000, minRequests: 3 }, 0);
    window.record(5, true, 1);
    window.record(5, true, 2);
    expect(window.breach(3)).toBeUndefined();
    window.record(5, true, 3);
    expect(window.breach(4)).toMatch(/error rate 1.000 is over 0.1/);
  });

  it('is over maxErrorRate only when the share of failures passes it', () => {
    const window = new GuardWindow({ maxErrorRate: 0.5, windowMs: 10_000, minRequests: 4 }, 0);
    for (const failed of [true, false, true, false]) window.record(5, failed, 1);
    expect(window.breach(2)).toBeUndefined();
    window.record(5, true, 3);
    expect(window.breach(4)).toBeDefined();
  });

  it('is over maxP99Ms when more than 1 % of answers are slower (nearest rank)', () => {
    const window = new GuardWindow({ maxP99Ms: 100, windowMs: 10_000, minRequests: 1 }, 0);
    for (let i = 0; i < 199; i++) window.record(10, false, 1);
    window.record(500, false, 1);
    window.record(500, false, 1);
    expect(window.breach(2)).toBeUndefined(); // 2 of 201 slow: rank 199 is still fast
    window.record(500, false, 1);
    expect(window.breach(2)).toMatch(/p99 latency is over 100 ms/);
  });

  it('forgets answers older than the window', () => {
    const window = new GuardWindow({ maxErrorRate: 0.5, windowMs: 1_000, minRequests: 2 }, 0);
    window.record(5, true, 100);
    window.record(5, true, 200);
    expect(window.breach(300)).toBeDefined();
    expect(window.breach(1_050)).toBeDefined(); // buckets of 50 ms: the one of 100 is still in
    expect(window.breach(1_160)).toBeUndefined(); // one answer left, under minRequests
    window.record(5, false, 5_000);
    expect(window.breach(5_000)).toBeUndefined();
  });
});

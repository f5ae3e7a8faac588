import { reconnectDelay } from './redis-connection';
import { retryDelay } from './retry-backoff';

describe('retryDelay', () => {
  it.each([
    [1, 100],
    [2, 200],
    [3, 400],
    [4, 800],
    [10, 10_000],
  ])('waits base × 2^(n-1), capped, after delivery %i', (deliveries, exact) => {
    expect(retryDelay(deliveries, 100, 10_000, () => 0.5)).toBe(exact);
  });

  it('adds at most ±20 % jitter and never passes the cap', () => {
    expect(retryDelay(3, 100, 10_000, () => 0)).toBe(320);
    expect(retryDelay(3, 100, 10_000, () => 1)).toBe(480);
    expect(retryDelay(20, 100, 10_000, () => 1)).toBe(10_000);
  });
});

describe('reconnectDelay', () => {
  it('grows exponentially within [ceiling/2, ceiling], capped', () => {
    expect(reconnectDelay(0, 100, 5_000, () => 0)).toBe(50);
    expect(reconnectDelay(0, 100, 5_000, () => 1)).toBe(100);
    expect(reconnectDelay(3, 100, 5_000, () => 1)).toBe(800);
    expect(reconnectDelay(30, 100, 5_000, () => 1)).toBe(5_000);
  });
});

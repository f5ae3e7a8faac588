import { retryDelay } from './retry-delay';

describe('retryDelay', () => {
  const middle = () => 0.5;

  it('doubles from the base up to the maximum', () => {
    expect([1, 2, 3, 4, 5, 10, 20, 100].map((n) => retryDelay(n, 100, 30_000, middle))).toEqual([
      100, 200, 400, 800, 1_600, 30_000, 30_000, 30_000,
    ]);
  });

  it('spreads retries by up to 20 % without leaving the bounds', () => {
    expect(retryDelay(3, 100, 30_000, () => 0)).toBe(320);
    expect(retryDelay(3, 100, 30_000, () => 1)).toBe(480);
    expect(retryDelay(1, 100, 30_000, () => 0)).toBe(100);
    expect(retryDelay(20, 100, 30_000, () => 1)).toBe(30_000);
  });
});

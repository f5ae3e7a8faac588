import { latestUpdate } from './latest-update';

describe('latestUpdate', () => {
  const earlier = new Date('2026-11-22T05:00:00.000Z');
  const later = new Date('2026-11-22T05:00:00.001Z');

  it.each([
    ['a later change moves it', earlier, later.toISOString(), later],
    ['an earlier change that arrives late leaves it', later, earlier.toISOString(), later],
    ['the same time leaves it', later, later, later],
  ])('%s', (_, current, changedAt, expected) => {
    expect(latestUpdate(current, changedAt).toISOString()).toBe(expected.toISOString());
  });
});

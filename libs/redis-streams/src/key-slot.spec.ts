import { keySlot } from './key-slot';

describe('keySlot', () => {
  it.each([
    // As CLUSTER KEYSLOT answers (Redis 7.0).
    ['foo', 12182],
    ['bar', 5061],
    ['123456789', 12739],
    ['{user1000}.following', 3443],
    ['{}foo', 9500],
    ['a{b}c{d}', 3300],
    ['x{}{y}', 14166],
    ['{ünï}', 9441],
  ])('%s is in slot %i', (key, slot) => {
    expect(keySlot(key)).toBe(slot);
  });

  it('hashes only the first hash tag, and a key with an empty one as a whole', () => {
    expect(keySlot('{user1000}.following')).toBe(keySlot('{user1000}.followers'));
    expect(keySlot('a{b}c{d}')).toBe(keySlot('b'));
    expect(keySlot('{}foo')).not.toBe(keySlot('foo'));
    expect(keySlot('{ünï}')).toBe(keySlot('ünï'));
  });
});

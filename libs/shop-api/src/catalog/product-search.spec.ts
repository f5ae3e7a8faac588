import { containsPattern } from './product-search';

describe('containsPattern', () => {
  it.each([
    ['abc', '%abc%'],
    ['50%', '%50\\%%'],
    ['a_b', '%a\\_b%'],
    ['back\\slash', '%back\\\\slash%'],
    ['', '%%'],
  ])('turns %j into %j', (text, pattern) => {
    expect(containsPattern(text)).toBe(pattern);
  });
});

import { tokensMatch } from './tokens-match';

describe('tokensMatch', () => {
  it.each([
    ['the same token', 'a-secret-of-16-chars', 'a-secret-of-16-chars', true],
    ['another token', 'a-secret-of-16-chars', 'a-secret-of-16-chaRs', false],
    ['a prefix', 'a-secret', 'a-secret-of-16-chars', false],
    ['a longer token', 'a-secret-of-16-chars!', 'a-secret-of-16-chars', false],
    ['nothing', '', 'a-secret-of-16-chars', false],
  ])('%s: %s', (_what, presented, expected, result) => {
    expect(tokensMatch(presented, expected)).toBe(result);
  });
});

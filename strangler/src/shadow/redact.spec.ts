import type { AnswerDifference } from './compare-answers';
import { PathPattern } from './path-pattern';
import { REDACTED, redactDifference } from './redact';

const body = (path: (string | number)[], legacy: unknown, target: unknown): AnswerDifference => ({
  place: `body:${path.join('.')}`,
  general: 'x',
  path,
  legacy,
  target,
});
const fields = ['**.password', 'token'].map((pattern) => new PathPattern(pattern));

describe('redacting what a difference keeps', () => {
  it.each([
    ['a field named by a pattern', body(['customer', 'password'], 'a', 'b'), REDACTED, REDACTED],
    ['a field at the top', body(['token'], 't1', undefined), REDACTED, undefined],
    [
      'inside an object that differs as a whole',
      body(['customer'], undefined, { name: 'Ann', password: 'p', cards: [{ password: 'q' }] }),
      undefined,
      { name: 'Ann', password: REDACTED, cards: [{ password: REDACTED }] },
    ],
    ['nothing else', body(['customer', 'name'], 'Ann', 'Bob'), 'Ann', 'Bob'],
  ])('%s', (_case, difference, legacy, target) => {
    expect(redactDifference(difference, fields)).toMatchObject({ legacy, target });
  });

  it.each(['authorization', 'cookie', 'set-cookie'])('a %s header, always', (name) => {
    const difference = { place: `header:${name}`, general: `header:${name}`, legacy: 'secret', target: 'other' };
    expect(redactDifference(difference, [])).toMatchObject({ legacy: REDACTED, target: REDACTED });
  });
});

import { apiText } from './api-text';

describe('apiText', () => {
  it.each(['', 'Ocean Blue Mug', 'Äpfel \u{1F600}', 'tab\tand\nnewline', '\u0001'])('accepts %p', (value) => {
    expect(apiText().safeParse(value)).toEqual({ success: true, data: value });
  });

  it.each(['\u0000', 'a\u0000b', 'end\u0000'])('refuses %p: it holds the NUL character', (value) => {
    const result = apiText().safeParse(value);

    expect(result.success).toBe(false);
    expect(result.error?.issues.map((issue) => issue.message)).toEqual(['must not contain the NUL character (U+0000)']);
  });

  it('keeps the length checks chained after it', () => {
    expect(apiText().max(3).safeParse('abcd').success).toBe(false);
    expect(apiText().max(3).safeParse('abc').success).toBe(true);
  });
});

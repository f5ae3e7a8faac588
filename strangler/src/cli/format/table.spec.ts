import { cell, table, truncate } from './table';

describe('table', () => {
  it('pads each column to its widest cell and trims line ends', () => {
    expect(
      table(
        ['ID', 'MODE', 'NOTE'],
        [
          ['products-read', 'canary', ''],
          ['x', null, 'two\nlines'],
        ],
      ),
    ).toBe(['ID             MODE    NOTE', 'products-read  canary  -', 'x              -       two lines'].join('\n'));
  });

  it('prints only the header for no rows', () => {
    expect(table(['A', 'B'], [])).toBe('A  B');
  });
});

describe('cell and truncate', () => {
  it.each([
    [null, '-'],
    [undefined, '-'],
    ['', '-'],
    [0, '0'],
    [false, 'false'],
  ])('shows %p as %p', (value, text) => {
    expect(cell(value)).toBe(text);
  });

  it('cuts long text with an ellipsis', () => {
    expect(truncate('abcdef', 4)).toBe('abc…');
    expect(truncate('abc', 4)).toBe('abc');
  });
});

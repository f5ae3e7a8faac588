import { parseAutoClaimReply, parseClaimReply, parseReadReply } from './stream-entries';

describe('stream replies', () => {
  it('flattens an XREADGROUP reply over several streams', () => {
    expect(
      parseReadReply([
        [
          's1',
          [
            ['1-0', ['a', '1']],
            ['2-0', null],
          ],
        ],
        ['s2', [['3-0', ['b', '2']]]],
      ]),
    ).toEqual([
      { stream: 's1', entryId: '1-0', fields: ['a', '1'] },
      { stream: 's1', entryId: '2-0', fields: null },
      { stream: 's2', entryId: '3-0', fields: ['b', '2'] },
    ]);
  });

  it('reads a timed-out read as nothing', () => {
    expect(parseReadReply(null)).toEqual([]);
  });

  it('parses XAUTOCLAIM with its cursor and deleted ids', () => {
    expect(parseAutoClaimReply('s', ['5-0', [['4-0', ['x', 'y']]], ['3-0']])).toEqual({
      next: '5-0',
      entries: [{ stream: 's', entryId: '4-0', fields: ['x', 'y'] }],
      deleted: ['3-0'],
    });
  });

  it('parses XCLAIM, skipping entries gone meanwhile', () => {
    expect(parseClaimReply('s', [['1-0', ['k', 'v']], null])).toEqual([
      { stream: 's', entryId: '1-0', fields: ['k', 'v'] },
    ]);
    expect(parseClaimReply('s', null)).toEqual([]);
  });
});

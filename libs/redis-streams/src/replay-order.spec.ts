import { aggregatePosition, replayOrder } from './replay-order';

/** An entry's fields with `data` as given; its name travels in `id`. */
const entry = (name: string, data: unknown) => ['id', name, 'pattern', 'x', 'data', JSON.stringify(data), 'meta', '{}'];
const event = (name: string, aggregateId: string, sequence: number, origin = 'payments') =>
  entry(name, { origin, aggregateId, sequence });
const names = (entries: string[][]) => replayOrder(entries, (fields) => fields).map((fields) => fields[1]);

describe('aggregatePosition', () => {
  it.each<[string, readonly string[], ReturnType<typeof aggregatePosition>]>([
    ['an integration event', event('e', 'a-1', 3), { aggregate: '["payments","a-1"]', sequence: 3 }],
    ['a snapshot (no sequence)', entry('s', { origin: 'payments', aggregateId: 'a-1', sequences: {} }), null],
    ['data without an origin', entry('e', { aggregateId: 'a-1', sequence: 1 }), null],
    ['a sequence that is not a number', entry('e', { origin: 'p', aggregateId: 'a-1', sequence: '2' }), null],
    ['data that is not an object', entry('e', 42), null],
    ['data that is not JSON', ['id', 'e', 'data', '{oops'], null],
    ['an entry without data', ['junk', 'yes'], null],
  ])('reads %s', (_what, fields, position) => {
    expect(aggregatePosition(fields)).toEqual(position);
  });
});

describe('replayOrder', () => {
  it.each<[string, string[][], string[]]>([
    ['keeps an empty selection', [], []],
    ['keeps events already in order', [event('a1', 'a', 1), event('a2', 'a', 2)], ['a1', 'a2']],
    [
      'puts one aggregate’s events in ascending sequence',
      [event('a3', 'a', 3), event('a1', 'a', 1), event('a2', 'a', 2)],
      ['a1', 'a2', 'a3'],
    ],
    [
      'orders each aggregate apart, in the places its events held',
      [event('a2', 'a', 2), event('b2', 'b', 2), event('a1', 'a', 1), event('b1', 'b', 1)],
      ['a1', 'b1', 'a2', 'b2'],
    ],
    [
      'leaves entries without a sequence where they were',
      [
        event('a3', 'a', 3),
        entry('note', { text: 'x' }),
        event('b2', 'b', 2),
        event('a1', 'a', 1),
        entry('snapshot-a', { origin: 'payments', aggregateId: 'a', sequences: { payments: 1 } }),
        event('b1', 'b', 1),
        event('a2', 'a', 2),
      ],
      ['a1', 'note', 'b1', 'a2', 'snapshot-a', 'b2', 'a3'],
    ],
    [
      'tells aggregates of the same id apart by origin',
      [event('p2', 'a', 2, 'payments'), event('i1', 'a', 1, 'inventory'), event('p1', 'a', 1, 'payments')],
      ['p1', 'i1', 'p2'],
    ],
    [
      'keeps the relative order of equal sequences (a duplicate)',
      [event('a2', 'a', 2), event('a1-first', 'a', 1), event('a1-again', 'a', 1)],
      ['a1-first', 'a1-again', 'a2'],
    ],
  ])('%s', (_what, entries, expected) => {
    expect(names(entries)).toEqual(expected);
  });
});

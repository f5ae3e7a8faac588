import { advancedOrigins, coversKnown } from './snapshot-vector';

describe('snapshot vectors', () => {
  it.each([
    [{ legacy: 3 }, {}, true],
    [{ legacy: 3 }, { legacy: 3 }, true],
    [{ legacy: 3 }, { legacy: 4 }, false],
    [{ legacy: 3 }, { legacy: 2, orders: 1 }, false],
    [{ legacy: 3, orders: 0 }, { legacy: 2, orders: 0 }, true],
    [{}, { catalog: 0 }, true],
    [{ legacy: 5, catalog: 2 }, { legacy: 5, catalog: 3 }, false],
  ])('%j covers %j: %s', (snapshot, known, expected) => {
    expect(coversKnown(snapshot, known)).toBe(expected);
  });

  it('moves forward only the origins the snapshot is ahead on, never the own one', () => {
    expect(advancedOrigins({ orders: 2, legacy: 7, catalog: 9 }, { legacy: 7, orders: 1 }, 'catalog')).toEqual([
      ['orders', 2],
    ]);
    expect(advancedOrigins({ b: 1, a: 1 }, {}, 'x')).toEqual([
      ['a', 1],
      ['b', 1],
    ]);
  });
});

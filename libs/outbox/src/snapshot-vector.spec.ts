import { advancedOrigins, coversKnown, originPartApplies } from './snapshot-vector';

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

  it.each([
    // Ahead on its publisher, equal on every other origin (the own one included): applies.
    [{ inventory: 9, legacy: 4, catalog: 2 }, { inventory: 6, legacy: 4, catalog: 2 }, true],
    [{ inventory: 1 }, {}, true],
    [{ inventory: 3, legacy: 0 }, { inventory: 2 }, true],
    // Not ahead on its publisher: nothing to bring.
    [{ inventory: 6, legacy: 4 }, { inventory: 6, legacy: 4 }, false],
    [{ inventory: 5, legacy: 4 }, { inventory: 6, legacy: 4 }, false],
    // Another origin's deltas differ: its absolute value would count them once too few or too many.
    [{ inventory: 9, legacy: 3 }, { inventory: 6, legacy: 4 }, false],
    [{ inventory: 9, legacy: 5 }, { inventory: 6, legacy: 4 }, false],
    [{ inventory: 9 }, { inventory: 6, catalog: 1 }, false],
    [{ inventory: 9, catalog: 1 }, { inventory: 6 }, false],
  ])("a part of inventory's %j applies over %j: %s", (snapshot, known, expected) => {
    expect(originPartApplies(snapshot, known, 'inventory')).toBe(expected);
  });
});

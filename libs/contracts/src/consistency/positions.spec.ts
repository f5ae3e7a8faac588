import { MAX_POSITIONS, type Position, formatPositions, parsePositions } from './positions';

const product = '3f2e1d0c-b9a8-4765-9432-10fedcba9876';
const customer = '0b6f2a4e-3f0c-4b8e-9f61-2d1c5e7a9b10';

describe('positions header', () => {
  it('reads back what it wrote', () => {
    const positions: Position[] = [
      { origin: 'inventory', aggregateType: 'product', aggregateId: product, sequence: 3 },
      { origin: 'legacy-monolith', aggregateType: 'customer', aggregateId: customer, sequence: 12 },
    ];
    const text = formatPositions(positions);
    expect(text).toBe(`inventory:product:${product}:3,legacy-monolith:customer:${customer}:12`);
    expect(parsePositions(text)).toEqual({ ok: true, positions });
  });

  it('reads nothing as no positions, and several header lines as one list', () => {
    expect(parsePositions(undefined)).toEqual({ ok: true, positions: [] });
    expect(parsePositions('')).toEqual({ ok: true, positions: [] });
    expect(parsePositions([`a:product:${product}:1`, ` b:product:${product}:2 `])).toEqual({
      ok: true,
      positions: [
        { origin: 'a', aggregateType: 'product', aggregateId: product, sequence: 1 },
        { origin: 'b', aggregateType: 'product', aggregateId: product, sequence: 2 },
      ],
    });
  });

  it('keeps the highest sequence of an origin’s aggregate', () => {
    expect(parsePositions(`a:product:${product}:4,a:product:${product}:9,a:product:${product}:2`)).toEqual({
      ok: true,
      positions: [{ origin: 'a', aggregateType: 'product', aggregateId: product, sequence: 9 }],
    });
  });

  it.each([
    ['three fields', `a:product:${product}`, 'is not origin:aggregateType:aggregateId:sequence'],
    ['an origin in capitals', `A:product:${product}:1`, 'has an invalid origin'],
    ['an aggregate type with a space', `a:pro duct:${product}:1`, 'has an invalid aggregate type'],
    ['an id with a slash', 'a:product:x/y:1', 'has an invalid aggregate id'],
    ['sequence 0', `a:product:${product}:0`, 'has an invalid sequence'],
    ['a negative sequence', `a:product:${product}:-1`, 'has an invalid sequence'],
    ['a sequence beyond 2^53', `a:product:${product}:9999999999999999`, 'has an invalid sequence'],
    ['a fractional sequence', `a:product:${product}:1.5`, 'has an invalid sequence'],
  ])('refuses the whole header for %s', (_name, text, why) => {
    const result = parsePositions(`b:product:${product}:1,${text}`);
    expect(result).toEqual({ ok: false, reason: expect.stringContaining(why) });
  });

  it(`refuses more than ${MAX_POSITIONS} positions`, () => {
    const many = Array.from({ length: MAX_POSITIONS + 1 }, (_, i) => `a:product:p${i}:1`).join(',');
    expect(parsePositions(many)).toEqual({ ok: false, reason: `more than ${MAX_POSITIONS} positions` });
    const enough = Array.from({ length: MAX_POSITIONS }, (_, i) => `a:product:p${i}:1`).join(',');
    expect(parsePositions(enough)).toMatchObject({ ok: true, positions: { length: MAX_POSITIONS } });
  });
});

import { sameItems } from './reservation-store';

const A = '00000000-0000-4000-8000-00000000000a';
const B = '00000000-0000-4000-8000-00000000000b';

describe('sameItems', () => {
  it.each([
    [
      'the same items in another order',
      [
        { productId: B, quantity: 2 },
        { productId: A, quantity: 1 },
      ],
      true,
    ],
    [
      'the same ids in another case',
      [
        { productId: A.toUpperCase(), quantity: 1 },
        { productId: B, quantity: 2 },
      ],
      true,
    ],
    [
      'another quantity',
      [
        { productId: A, quantity: 1 },
        { productId: B, quantity: 3 },
      ],
      false,
    ],
    ['an item fewer', [{ productId: A, quantity: 1 }], false],
    [
      'another product',
      [
        { productId: A, quantity: 1 },
        { productId: A.replace('a', 'c'), quantity: 2 },
      ],
      false,
    ],
  ])('%s: %s', (_case, other, expected) => {
    const first = [
      { productId: A, quantity: 1 },
      { productId: B, quantity: 2 },
    ];
    expect(sameItems(first, other)).toBe(expected);
  });
});

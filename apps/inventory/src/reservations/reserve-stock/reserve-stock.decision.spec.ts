import { decideReservation } from './reserve-stock.decision';

const A = '00000000-0000-4000-8000-00000000000a';
const B = '00000000-0000-4000-8000-00000000000b';
const C = '00000000-0000-4000-8000-00000000000c';

describe('decideReservation', () => {
  it.each([
    [
      'reserves every item, with the stock each leaves',
      [
        { productId: B, quantity: 2 },
        { productId: A, quantity: 5 },
      ],
      { [A]: 5, [B]: 10 },
      {
        status: 'RESERVED',
        items: [
          { productId: B, quantity: 2, stock: 8 },
          { productId: A, quantity: 5, stock: 0 },
        ],
      },
    ],
    [
      'names every unknown product, in request order',
      [
        { productId: C, quantity: 1 },
        { productId: A, quantity: 1 },
        { productId: B, quantity: 1 },
      ],
      { [A]: 1 },
      { status: 'REJECTED', reason: 'PRODUCT_NOT_FOUND', productIds: [C, B] },
    ],
    [
      'checks existence before stock',
      [
        { productId: A, quantity: 9 },
        { productId: C, quantity: 1 },
      ],
      { [A]: 1 },
      { status: 'REJECTED', reason: 'PRODUCT_NOT_FOUND', productIds: [C] },
    ],
    [
      'names every product short of stock, and takes nothing',
      [
        { productId: A, quantity: 2 },
        { productId: B, quantity: 1 },
        { productId: C, quantity: 4 },
      ],
      { [A]: 1, [B]: 1, [C]: 3 },
      { status: 'REJECTED', reason: 'OUT_OF_STOCK', productIds: [A, C] },
    ],
    [
      'treats a stock of 0 as short',
      [{ productId: A, quantity: 1 }],
      { [A]: 0 },
      { status: 'REJECTED', reason: 'OUT_OF_STOCK', productIds: [A] },
    ],
  ])('%s', (_case, items, stocks, expected) => {
    expect(decideReservation(items, new Map(Object.entries(stocks)))).toEqual(expected);
  });
});

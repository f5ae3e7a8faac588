import { decidePlacement, ProductOnHand } from './place-order.decision';

const A = 'aaaaaaaa-0000-4000-8000-000000000001';
const B = 'bbbbbbbb-0000-4000-8000-000000000002';

function products(entries: Record<string, ProductOnHand>): Map<string, ProductOnHand> {
  return new Map(Object.entries(entries));
}

describe('decidePlacement', () => {
  const shelf = products({ [A]: { priceCents: 250, stock: 10 }, [B]: { priceCents: 1_000, stock: 1 } });

  it('prices each line at the current price and sums the total', () => {
    const placement = decidePlacement(
      [
        { productId: B, quantity: 1 },
        { productId: A, quantity: 3 },
      ],
      shelf,
      10_000,
    );
    expect(placement).toEqual({
      status: 'APPROVED',
      rejectionReason: null,
      totalCents: 1_750,
      lines: [
        { productId: B, quantity: 1, unitPriceCents: 1_000 },
        { productId: A, quantity: 3, unitPriceCents: 250 },
      ],
    });
  });

  it('approves when the wallet holds exactly the total and the stock is exactly enough', () => {
    const placement = decidePlacement([{ productId: A, quantity: 10 }], shelf, 2_500);
    expect(placement.status).toBe('APPROVED');
  });

  it('rejects for OUT_OF_STOCK when any item lacks stock', () => {
    const placement = decidePlacement([{ productId: B, quantity: 2 }], shelf, 1_000_000);
    expect(placement).toMatchObject({ status: 'REJECTED', rejectionReason: 'OUT_OF_STOCK', totalCents: 2_000 });
  });

  it('rejects for INSUFFICIENT_FUNDS when the wallet is one cent short', () => {
    const placement = decidePlacement([{ productId: A, quantity: 2 }], shelf, 499);
    expect(placement).toMatchObject({ status: 'REJECTED', rejectionReason: 'INSUFFICIENT_FUNDS', totalCents: 500 });
  });

  it('checks stock before funds when both fail', () => {
    const placement = decidePlacement([{ productId: B, quantity: 5 }], shelf, 0);
    expect(placement.rejectionReason).toBe('OUT_OF_STOCK');
  });

  it('prices free products at zero and approves them with an empty wallet', () => {
    const free = products({ [A]: { priceCents: 0, stock: 1 } });
    expect(decidePlacement([{ productId: A, quantity: 1 }], free, 0)).toMatchObject({
      status: 'APPROVED',
      totalCents: 0,
    });
  });

  it('refuses to decide without every product', () => {
    expect(() => decidePlacement([{ productId: 'missing', quantity: 1 }], shelf, 0)).toThrow(/missing/);
  });
});

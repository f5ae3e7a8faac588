import { awaitedWrites, awaiting } from './awaited-writes';

const CUSTOMER = 'c0000000-0000-4000-8000-000000000001';
const OTHER = 'c0000000-0000-4000-8000-000000000002';
const MUG = 'a0000000-0000-4000-8000-000000000001';
const KETTLE = 'a0000000-0000-4000-8000-000000000002';

describe('awaitedWrites', () => {
  it("keeps the customer's and the ordered products' writes of other sides, the highest of each", () => {
    const header = [
      `legacy-monolith:customer:${CUSTOMER}:3`,
      `legacy-monolith:customer:${CUSTOMER}:5`,
      `payments:customer:${CUSTOMER}:2`,
      `legacy-monolith:customer:${OTHER}:9`,
      `inventory:product:${MUG}:4`,
      `legacy-monolith:product:${KETTLE}:7`,
      `orders:order:${MUG}:1`,
      `orders:customer:${CUSTOMER}:8`,
    ].join(',');
    expect(awaitedWrites(header, CUSTOMER, [MUG])).toEqual({
      wallet: `legacy-monolith:customer:${CUSTOMER}:5,payments:customer:${CUSTOMER}:2`,
      stock: `inventory:product:${MUG}:4`,
    });
  });

  it.each([
    ['no header', undefined],
    ['an empty one', ''],
    ['a malformed one', 'not-a-position'],
    ['only other customers and products', `legacy-monolith:customer:${OTHER}:1,inventory:product:${KETTLE}:2`],
  ])('is empty for %s', (_case, header) => {
    expect(awaitedWrites(header, CUSTOMER, [MUG])).toEqual({ wallet: null, stock: null });
  });

  it('makes the request headers of a command, or none', () => {
    expect(awaiting('payments:customer:c1:2')).toEqual({ 'x-ficus-await': 'payments:customer:c1:2' });
    expect(awaiting(null)).toBeUndefined();
  });
});

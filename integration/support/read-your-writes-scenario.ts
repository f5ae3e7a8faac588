import {
  type Step,
  adjust,
  cancelOrder,
  createProduct,
  deposit,
  placeOrder,
  read,
  register,
} from './public-api-scenario';
import type { ShopLedger } from './shop-ledger';

/**
 * One round of writes, each followed at once (no quiet point) by the reads that show it, and of
 * writes that read what the write before them changed: run at a stage, each pair crosses from
 * the side that writes to the side that reads whenever the stage has moved one of them. `tag`
 * (`s2-r7`) makes its names, emails and SKU its own; an even `round` takes the stock to 0 after an
 * order, an odd one asks for one more than there is (`409 STOCK_NEGATIVE`). Needs the admin token.
 */
export function readYourWritesRound(tag: string, round: number): Step[] {
  const product = `product-${tag}`;
  const buyer = `buyer-${tag}`;
  const sku = `RYW-${tag.toUpperCase()}`;
  const productPage = (after: string) => read(`product ${tag} after ${after}`, productPath(product), 200);
  const search = (after: string) => read(`search ${tag} after ${after}`, () => `/api/products?q=${sku}`, 200);
  // Read by the admin: another client than the one who wrote.
  const customerPage = (after: string) =>
    read(`customer ${tag} after ${after}`, (l) => `/api/customers/${l.customerId(buyer)}`, 200, 'admin');
  const [registration, token] = register(buyer, `Buyer ${tag}`, `${tag}-buyer@example.com`);
  const approved = { status: 'APPROVED', rejectionReason: null };
  return [
    // A product's page and the search, right after its creation.
    createProduct(
      `create ${product}`,
      'admin',
      { sku, name: `Read your writes ${tag}`, priceCents: 300, stock: 10 },
      201,
    ),
    productPage('its creation'),
    search('its creation'),
    // The stock after an adjustment, which the side that adjusts applies to the product just created.
    adjust(`restock ${tag}`, 'admin', product, { delta: 5, reason: 'restock' }, 201),
    productPage('the restock'),
    search('the restock'),
    // A deposit right after the registration: the wallet's side knows the customer.
    registration!,
    deposit(`first deposit ${tag}`, 'admin', buyer, 300, 201),
    customerPage('the first deposit'),
    token!,
    // An order right after a deposit it needs: 2 × 300 out of 300 + 900, no INSUFFICIENT_FUNDS.
    deposit(`second deposit ${tag}`, buyer, buyer, 900, 201),
    { ...placeOrder(`${buyer}:two`, buyer, [[product, 2]], 201), expectBody: approved },
    productPage('an order'),
    search('an order'),
    customerPage('an order'),
    // A stock adjustment right after an order: the stock it starts from includes the order (12 left).
    { ...placeOrder(`${buyer}:one`, buyer, [[product, 1]], 201), expectBody: approved },
    round % 2 === 0
      ? {
          ...adjust(`empty ${tag}`, 'admin', product, { delta: -12, reason: 'all sold' }, 201),
          expectBody: { stock: 0 },
        }
      : {
          ...adjust(`one too many ${tag}`, 'admin', product, { delta: -13, reason: 'too many' }, 409),
          expectBody: { code: 'STOCK_NEGATIVE' },
        },
    productPage('the adjustment after an order'),
    // A cancellation: its stock back on the product, its total back in the wallet.
    { ...cancelOrder(`cancel ${buyer}:two`, buyer, `${buyer}:two`, 200), expectBody: { status: 'CANCELLED' } },
    productPage('the cancellation'),
    search('the cancellation'),
    customerPage('the refund'),
  ];
}

const productPath = (product: string) => (ledger: ShopLedger) => `/api/products/${ledger.productId(product)}`;

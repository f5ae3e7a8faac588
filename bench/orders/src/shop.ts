import { type BenchStack } from '../../convergence/src/bench-stack';
import { type Shop, createShop } from '../../convergence/src/shop';

/** Every customer's deposit (the API's largest): 100,000 orders of one product at 1 € each. */
export const DEPOSIT_CENTS = 10_000_000;
/** Stock added to every product after its creation (the API's largest adjustment). */
export const STOCK_TOP_UP = 1_000_000;

async function post(stack: BenchStack, path: string, token: string, body: unknown): Promise<void> {
  const response = await fetch(`${stack.facadeUrl}${path}`, {
    method: 'POST',
    headers: { accept: 'application/json', 'content-type': 'application/json', authorization: `Bearer ${token}` },
    body: JSON.stringify(body),
    signal: AbortSignal.timeout(30_000),
  });
  const text = await response.text();
  if (response.status < 200 || response.status >= 300) {
    throw new Error(`POST ${path}: HTTP ${response.status} ${text}`);
  }
}

/**
 * The shop the orders are placed in, made through the facade at stage 3 as clients and an admin
 * would: `customers` customers registered (the monolith) with tokens, each with a deposit of
 * {@link DEPOSIT_CENTS} (payments); `products` products at 1 € (catalog), each topped up by
 * {@link STOCK_TOP_UP} (inventory). The events take it to every other side; `waitSettled` waits for them.
 */
export async function seedShop(stack: BenchStack, customers: number, products: number): Promise<Shop> {
  const shop = await createShop(stack, customers, products);
  await Promise.all(
    shop.customers.map((customer) =>
      post(stack, `/api/customers/${customer.id}/deposits`, customer.token, { amountCents: DEPOSIT_CENTS }),
    ),
  );
  for (const product of shop.products) {
    await post(stack, `/api/products/${product}/stock-adjustments`, shop.adminToken, {
      delta: STOCK_TOP_UP,
      reason: 'orders benchmark',
    });
  }
  return shop;
}

import { randomUUID } from 'node:crypto';
import type { BenchStack } from './bench-stack';
import type { Customer, WriteTally } from './protocol';

const ADMIN = { email: 'admin@example.com', password: 'admin-password' };
const PASSWORD = 'a strong password';
export const INITIAL_STOCK = 1_000;

/** One JSON request; resolves with the status and the parsed body. */
async function send(
  baseUrl: string,
  method: 'GET' | 'POST',
  path: string,
  options: { token?: string; body?: unknown } = {},
): Promise<{ status: number; body: unknown }> {
  const headers: Record<string, string> = { accept: 'application/json' };
  if (options.token) headers.authorization = `Bearer ${options.token}`;
  if (options.body !== undefined) headers['content-type'] = 'application/json';
  const response = await fetch(`${baseUrl}${path}`, {
    method,
    headers,
    body: options.body === undefined ? undefined : JSON.stringify(options.body),
  });
  const text = await response.text();
  return { status: response.status, body: text === '' ? undefined : (JSON.parse(text) as unknown) };
}

async function expectStatus(
  what: string,
  status: number,
  answer: Promise<{ status: number; body: unknown }>,
): Promise<Record<string, unknown>> {
  const { status: got, body } = await answer;
  if (got !== status) throw new Error(`${what}: HTTP ${got} instead of ${status}: ${JSON.stringify(body)}`);
  return body as Record<string, unknown>;
}

/** The customers and products the load works on, and their tokens (renewed before each fault: they last 15 minutes). */
export interface Shop {
  adminToken: string;
  customers: Customer[];
  readonly emails: readonly string[];
  readonly products: readonly string[];
}

/** Registers `customers` customers and creates `products` products through the facade, as clients would. */
export async function createShop(stack: BenchStack, customers: number, products: number): Promise<Shop> {
  const emails: string[] = [];
  const ids: string[] = [];
  for (let n = 0; n < customers; n++) {
    const email = `bench-${randomUUID()}@example.com`;
    const body = { name: `Bench ${n}`, email, password: PASSWORD };
    const registered = await expectStatus(
      'registering a customer',
      201,
      send(stack.facadeUrl, 'POST', '/api/customers', { body }),
    );
    emails.push(email);
    ids.push(String(registered.id));
  }
  const shop: Shop = { adminToken: '', emails, customers: ids.map((id) => ({ id, token: '' })), products: [] };
  await logIn(stack, shop);
  const productIds: string[] = [];
  for (let n = 0; n < products; n++) {
    const body = {
      sku: `BENCH-${randomUUID().slice(0, 8).toUpperCase()}`,
      name: `Bench ${n}`,
      priceCents: 100,
      stock: INITIAL_STOCK,
    };
    const created = await expectStatus(
      'creating a product',
      201,
      send(stack.facadeUrl, 'POST', '/api/products', { token: shop.adminToken, body }),
    );
    productIds.push(String(created.id));
  }
  return { ...shop, products: productIds };
}

/** New tokens for the admin and every customer. */
export async function logIn(stack: BenchStack, shop: Shop): Promise<void> {
  const token = async (email: string, password: string) =>
    String(
      (
        await expectStatus(
          'logging in',
          200,
          send(stack.facadeUrl, 'POST', '/api/auth/token', { body: { email, password } }),
        )
      ).accessToken,
    );
  shop.adminToken = await token(ADMIN.email, ADMIN.password);
  shop.customers = await Promise.all(
    shop.customers.map(async (customer, n) => ({ id: customer.id, token: await token(shop.emails[n]!, PASSWORD) })),
  );
}

/** Values per aggregate id: balances by customer, stock by product. */
export interface Holdings {
  readonly balances: Record<string, number>;
  readonly stock: Record<string, number>;
}

/**
 * What the monolith holds, read from it directly, and whether the catalog shows the same stock
 * (sync:verify has shown every other side equal to them); `undefined` when the two differ.
 */
export async function readHoldings(stack: BenchStack, shop: Shop): Promise<Holdings | undefined> {
  const balances: Record<string, number> = {};
  for (const customer of shop.customers) {
    const read = await expectStatus(
      'reading a customer',
      200,
      send(stack.url('legacy'), 'GET', `/api/customers/${customer.id}`, { token: customer.token }),
    );
    balances[customer.id] = Number(read.balanceCents);
  }
  const stock: Record<string, number> = {};
  for (const product of shop.products) {
    const [legacy, catalog] = await Promise.all(
      (['legacy', 'catalog'] as const).map(async (side) =>
        Number(
          (await expectStatus('reading a product', 200, send(stack.url(side), 'GET', `/api/products/${product}`)))
            .stock,
        ),
      ),
    );
    if (legacy !== catalog) return undefined;
    stock[product] = legacy!;
  }
  return { balances, stock };
}

/**
 * What every side must hold: the values at the last check, plus every write answered 2xx since,
 * give or take the writes whose outcome the client never learnt (a 5xx or no answer: the upstream
 * may have committed before it died). Each check that passes becomes the next starting point.
 */
export class Ledger {
  constructor(private holdings: Holdings) {}

  static initial(shop: Shop): Ledger {
    return new Ledger({
      balances: Object.fromEntries(shop.customers.map((customer) => [customer.id, 0])),
      stock: Object.fromEntries(shop.products.map((product) => [product, INITIAL_STOCK])),
    });
  }

  /** Whether `found` reflects every write of `deposits` and `stock` answered 2xx, and no more than was sent; if so, it is the new start. */
  settle(found: Holdings, deposits: WriteTally, stock: WriteTally): boolean {
    const within = (before: Record<string, number>, after: Record<string, number>, writes: WriteTally) =>
      Object.keys(before).every((id) => {
        const excess = (after[id] ?? Number.NaN) - (before[id]! + (writes.applied[id] ?? 0));
        return excess >= (writes.uncertainDown[id] ?? 0) && excess <= (writes.uncertainUp[id] ?? 0);
      });
    const ok =
      within(this.holdings.balances, found.balances, deposits) && within(this.holdings.stock, found.stock, stock);
    if (ok) this.holdings = found;
    return ok;
  }

  /** Takes `found` as the new start whatever the writes were (after a round that did not converge in time). */
  rebase(found: Holdings): void {
    this.holdings = found;
  }
}

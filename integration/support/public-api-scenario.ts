import type { ApiAnswer, ApiRequest } from './answers';
import type { ShopLedger } from './shop-ledger';

/** One exchange of the scenario, built from what each side knows. */
export interface Step {
  readonly name: string;
  request(ledger: ShopLedger): ApiRequest;
  /** What the monolith answers: keeps the scenario honest (a refusal on both sides is no parity). */
  readonly expect: number;
  /** What the monolith's body holds besides (each key given, recursively), e.g. `{ status: 'APPROVED' }`. */
  readonly expectBody?: unknown;
  /** Records what a 2xx answer changed. */
  record?(ledger: ShopLedger, answer: ApiAnswer): void;
}

/** A wait for a quiet point (every event delivered), where the scenario reads what another service wrote. */
export const SETTLE = 'settle';
export type ScenarioItem = Step | typeof SETTLE;

const PASSWORD = 'a strong password';
const NO_SUCH_ID = '00000000-0000-4000-8000-000000000000';
/** A token signed with another secret. */
const FORGED_TOKEN =
  'eyJhbGciOiJIUzI1NiIsInR5cCI6IkpXVCJ9.eyJzdWIiOiIwMDAwMDAwMC0wMDAwLTQwMDAtODAwMC0wMDAwMDAwMDAwMDAiLCJyb2xlIjoiYWRtaW4ifQ.' +
  'c2lnbmVkLXdpdGgtYW5vdGhlci1zZWNyZXQ';

export const ADMIN = { email: 'admin@example.com', password: 'admin-password' };

/** `POST /api/customers` of a customer the scenario names `name`, then `POST /api/auth/token` for its token. */
export function register(name: string, display: string, email: string): Step[] {
  return [
    {
      name: `register ${name}`,
      request: (ledger) => {
        ledger.customers.set(name, { name: display, email, password: PASSWORD });
        return { method: 'POST', path: '/api/customers', body: { name: display, email, password: PASSWORD } };
      },
      expect: 201,
      record: (ledger, answer) => {
        if (answer.status === 201) ledger.customer(name).id = (answer.body as { id: string }).id;
      },
    },
    {
      name: `token of ${name}`,
      request: () => ({ method: 'POST', path: '/api/auth/token', body: { email, password: PASSWORD } }),
      expect: 200,
      record: (ledger, answer) => {
        if (answer.status === 200) ledger.customer(name).token = (answer.body as { accessToken: string }).accessToken;
      },
    },
  ];
}

/**
 * A deposit into `owner`'s wallet by `who` (a customer's name, `admin`, `nobody` for no token, or
 * `forged`), recorded in the ledger when answered 201.
 */
export function deposit(
  name: string,
  who: string,
  owner: string,
  amountCents: unknown,
  expect: number,
  options: { key?: string; raw?: string; extra?: object; path?: string } = {},
): Step {
  return {
    name,
    request: (ledger) => ({
      method: 'POST',
      path: options.path ?? `/api/customers/${ledger.customerId(owner)}/deposits`,
      token: who === 'nobody' ? undefined : who === 'forged' ? FORGED_TOKEN : ledger.token(who),
      headers: options.key ? { 'idempotency-key': options.key } : undefined,
      body: { amountCents, ...options.extra },
      rawBody: options.raw,
    }),
    expect,
    record: (ledger, answer) => ledger.recordDeposit(owner, amountCents as number, answer, options.key),
  };
}

/** `POST /api/products`; a 201 records the product under the step's name without `create `. */
export function createProduct(name: string, who: string, body: object, expect: number, raw?: string): Step {
  return {
    name,
    request: (ledger) => ({
      method: 'POST',
      path: '/api/products',
      token: who === 'nobody' ? undefined : ledger.token(who),
      body,
      rawBody: raw,
    }),
    expect,
    record: (ledger, answer) => ledger.recordProduct(name.replace(/^create /, ''), answer),
  };
}

/** A stock adjustment of `product` (a name, or `/<id>` for that id as it is), recorded when answered 201. */
export function adjust(
  name: string,
  who: string,
  product: string,
  body: { delta: unknown; reason?: string },
  expect: number,
) {
  return {
    name,
    request: (ledger: ShopLedger): ApiRequest => ({
      method: 'POST',
      path: `/api/products/${product.startsWith('/') ? product.slice(1) : ledger.productId(product)}/stock-adjustments`,
      token: who === 'nobody' ? undefined : ledger.token(who),
      body,
    }),
    expect,
    record: (ledger: ShopLedger, answer: ApiAnswer) => ledger.recordAdjustment(product, body.delta as number, answer),
  } satisfies Step;
}

/** An order by `who` of `items` (product names and quantities), named `name` in the ledger when answered 201. */
export function placeOrder(
  name: string,
  who: string,
  items: readonly [product: string, quantity: number][],
  expect: number,
): Step {
  return {
    name: `order ${name}`,
    request: (ledger) => ({
      method: 'POST',
      path: '/api/orders',
      token: ledger.token(who),
      body: { items: items.map(([product, quantity]) => ({ productId: ledger.productId(product), quantity })) },
    }),
    expect,
    record: (ledger, answer) => ledger.recordOrder(name, who, answer),
  };
}

/** `POST /api/orders/{id}/cancel` of the order the scenario named `order`, by `who`. */
export function cancelOrder(name: string, who: string, order: string, expect: number): Step {
  return {
    name,
    request: (ledger) => ({
      method: 'POST',
      path: `/api/orders/${ledger.orderId(order)}/cancel`,
      token: ledger.token(who),
    }),
    expect,
  };
}

/** A `GET` of the path built from the ledger, by `who` (a name or `admin`) or without a token. */
export const read = (name: string, path: (ledger: ShopLedger) => string, expect: number, who?: string): Step => ({
  name,
  request: (ledger) => ({ method: 'GET', path: path(ledger), token: who && ledger.token(who) }),
  expect,
});

/** The admin's token (`ledger.token('admin')`). */
export function adminToken(): Step {
  return {
    name: 'admin token',
    request: () => ({ method: 'POST', path: '/api/auth/token', body: ADMIN }),
    expect: 200,
    record: (ledger, answer) => {
      ledger.adminToken = (answer.body as { accessToken: string }).accessToken;
    },
  };
}

/** Customers, products, deposits and an order: the data the services must find when they start. */
export function seedScenario(): ScenarioItem[] {
  return [
    adminToken(),
    ...register('alice', 'Alice', 'alice@example.com'),
    ...register('bob', 'Bob', 'bob@example.com'),
    deposit('deposit alice', 'alice', 'alice', 100_000, 201),
    deposit('deposit bob', 'bob', 'bob', 20_000, 201),
    createProduct('create mug', 'admin', { sku: 'SEED-MUG', name: 'Seed mug', priceCents: 1_200, stock: 20 }, 201),
    createProduct('create tea', 'admin', { sku: 'SEED-TEA', name: 'Seed tea', priceCents: 800, stock: 10 }, 201),
    placeOrder('alice:seed', 'alice', [['mug', 2]], 201),
    SETTLE,
  ];
}

/**
 * One round of the public API: register, tokens, deposits (with an Idempotency-Key repeat and a
 * reuse), products (create, get, list, search, pages), stock adjustments, orders (placed,
 * rejected, cancelled), and the refusals 400/401/403/404/409/422. `round` makes its emails and
 * SKUs its own. Quiet points come where a service reads what another one wrote.
 */
export function roundScenario(round: number): ScenarioItem[] {
  const tag = `r${round}`;
  const carol = `carol-${tag}`;
  const dave = `dave-${tag}`;
  const kettle = `kettle-${tag}`;
  const cup = `cup-${tag}`;
  const sku = (name: string) => `R${round}-${name}`;
  return [
    ...register(carol, 'Carol', `${tag}-carol@example.com`),
    ...register(dave, 'Dave', `${tag}-Dave@Example.com`),
    {
      name: 'register, email taken (another case)',
      request: () => ({
        method: 'POST',
        path: '/api/customers',
        body: { name: 'Carol again', email: `${tag}-CAROL@example.com`, password: PASSWORD },
      }),
      expect: 409,
    },
    {
      name: 'register, invalid',
      request: () => ({ method: 'POST', path: '/api/customers', body: { name: '', email: 'nope', password: 'short' } }),
      expect: 400,
    },
    {
      name: 'token, wrong password',
      request: () => ({
        method: 'POST',
        path: '/api/auth/token',
        body: { email: `${tag}-carol@example.com`, password: 'wrong one' },
      }),
      expect: 401,
    },
    {
      name: 'token, unknown field',
      request: () => ({ method: 'POST', path: '/api/auth/token', body: { email: 'a@b.c', password: 'x', extra: 1 } }),
      expect: 400,
    },
    read('customer, no token', (l) => `/api/customers/${l.customerId(carol)}`, 401),
    read('customer, another customer', (l) => `/api/customers/${l.customerId(carol)}`, 403, dave),
    // Payments learns of new customers from customer.registered.
    SETTLE,
    deposit('deposit with a key', carol, carol, 50_000, 201, { key: `${tag}-first` }),
    deposit('deposit, the key repeated', carol, carol, 50_000, 201, { key: `${tag}-first` }),
    deposit('deposit, the key reused for another body', carol, carol, 40_000, 422, { key: `${tag}-first` }),
    deposit('deposit without a key', dave, dave, 3_000, 201),
    deposit('deposit by the admin', 'admin', carol, 1_000, 201),
    deposit('deposit, no token', 'nobody', carol, 1_000, 401),
    deposit('deposit, forged token', 'forged', carol, 1_000, 401),
    deposit("deposit to another customer's wallet", dave, carol, 1_000, 403),
    deposit('deposit to an unknown customer', 'admin', 'nobody-known', 1_000, 404),
    deposit('deposit of 0', carol, carol, 0, 400),
    deposit('deposit over the limit', carol, carol, 10_000_001, 400),
    deposit('deposit, amount a string', carol, carol, '100', 400),
    deposit('deposit, unknown field', carol, carol, 100, 400, { extra: { note: 'x' } }),
    deposit('deposit, malformed JSON', carol, carol, 100, 400, { raw: '{"amountCents":' }),
    deposit('deposit, id not a UUID', carol, carol, 100, 400, { path: '/api/customers/not-a-uuid/deposits' }),
    createProduct(
      `create ${kettle}`,
      'admin',
      { sku: sku('KETTLE'), name: 'Kettle', priceCents: 2_500, stock: 4 },
      201,
    ),
    createProduct(`create ${cup}`, 'admin', { sku: sku('CUP'), name: 'Tea cup', priceCents: 700 }, 201),
    createProduct('create, SKU taken', 'admin', { sku: sku('KETTLE'), name: 'Kettle 2', priceCents: 1 }, 409),
    createProduct('create, as a customer', carol, { sku: sku('NOPE'), name: 'Nope', priceCents: 1 }, 403),
    createProduct('create, no token', 'nobody', { sku: sku('NOPE'), name: 'Nope', priceCents: 1 }, 401),
    createProduct('create, invalid', 'admin', { sku: 'lower case', name: '', priceCents: -1 }, 400),
    createProduct('create, unknown field', 'admin', { sku: sku('X'), name: 'X', priceCents: 1, colour: 'red' }, 400),
    createProduct('create, malformed JSON', 'admin', {}, 400, '{"sku": "A",'),
    // Catalog and inventory learn of products created elsewhere, and the monolith of those created there.
    SETTLE,
    read('product', (l) => `/api/products/${l.productId(kettle)}`, 200),
    read('product, unknown', () => `/api/products/${NO_SUCH_ID}`, 404),
    read('product, id not a UUID', () => '/api/products/not-a-uuid', 400),
    read('products, first page', () => '/api/products?limit=2', 200),
    read('products, second page', () => '/api/products?limit=2&offset=2', 200),
    read('products, past the end', () => '/api/products?offset=1000', 200),
    read('products, search by name', () => '/api/products?q=KETTLE', 200),
    read('products, search by SKU', () => `/api/products?q=${tag}-`, 200),
    read('products, limit out of range', () => '/api/products?limit=101', 400),
    read('products, negative offset', () => '/api/products?offset=-1', 400),
    read('products, limit not a number', () => '/api/products?limit=ten', 400),
    { name: 'products, HEAD', request: () => ({ method: 'HEAD', path: '/api/products?limit=1' }), expect: 200 },
    adjust('adjust, restock', 'admin', kettle, { delta: 6, reason: 'restock' }, 201),
    adjust('adjust, first stock', 'admin', cup, { delta: 3, reason: 'first delivery' }, 201),
    adjust('adjust, below zero', 'admin', kettle, { delta: -1_000, reason: 'lost' }, 409),
    adjust('adjust, unknown product', 'admin', `/${NO_SUCH_ID}`, { delta: 1, reason: 'x' }, 404),
    adjust('adjust, as a customer', carol, kettle, { delta: 1, reason: 'x' }, 403),
    adjust('adjust, no token', 'nobody', kettle, { delta: 1, reason: 'x' }, 401),
    adjust('adjust, delta 0', 'admin', kettle, { delta: 0, reason: 'x' }, 400),
    adjust('adjust, no reason', 'admin', kettle, { delta: 1 }, 400),
    adjust('adjust, id not a UUID', 'admin', '/not-a-uuid', { delta: 1, reason: 'x' }, 400),
    // The monolith places orders: it needs the deposits and the stock the services took.
    SETTLE,
    placeOrder(
      `${carol}:1`,
      carol,
      [
        [kettle, 2],
        [cup, 1],
      ],
      201,
    ),
    placeOrder(`${carol}:too-many`, carol, [[kettle, 100]], 201),
    placeOrder(`${dave}:too-dear`, dave, [[kettle, 2]], 201),
    placeOrder('admin:refused', 'admin', [[kettle, 1]], 403),
    placeOrder(`${carol}:unknown-product`, carol, [['no-such-product', 1]], 404),
    read('order', (l) => `/api/orders/${l.orderId(`${carol}:1`)}`, 200, carol),
    read("order, another customer's", (l) => `/api/orders/${l.orderId(`${carol}:1`)}`, 404, dave),
    read('orders of a customer', () => '/api/orders?limit=5', 200, carol),
    cancelOrder('cancel an order', carol, `${carol}:1`, 200),
    cancelOrder('cancel it again', carol, `${carol}:1`, 409),
    placeOrder(`${carol}:2`, carol, [[kettle, 1]], 201),
    // The services apply the monolith's order, cancellation and refund.
    SETTLE,
    read('product after the orders', (l) => `/api/products/${l.productId(kettle)}`, 200),
    read('customer after the orders', (l) => `/api/customers/${l.customerId(carol)}`, 200, carol),
    deposit('deposit after the orders', carol, carol, 100, 201),
    read('products of the round', () => `/api/products?q=${tag}-&limit=10`, 200),
    SETTLE,
  ];
}

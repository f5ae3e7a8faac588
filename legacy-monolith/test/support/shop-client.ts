import request from 'supertest';

/** What a client saw: the status and the parsed body. */
export interface Answer<T = unknown> {
  readonly status: number;
  readonly body: T;
}

export interface OrderItem {
  readonly productId: string;
  readonly quantity: number;
}

export interface OrderBody {
  readonly id: string;
  readonly customerId: string;
  readonly items: readonly (OrderItem & { readonly unitPriceCents: number })[];
  readonly totalCents: number;
  readonly status: 'PENDING' | 'APPROVED' | 'REJECTED' | 'CANCELLED';
  readonly rejectionReason: 'INSUFFICIENT_FUNDS' | 'OUT_OF_STOCK' | null;
  readonly createdAt: string;
  readonly updatedAt: string;
}

export interface CustomerBody {
  readonly id: string;
  readonly name: string;
  readonly email: string;
  readonly balanceCents: number;
  readonly createdAt: string;
}

export interface ProductBody {
  readonly id: string;
  readonly sku: string;
  readonly name: string;
  readonly priceCents: number;
  readonly stock: number;
  readonly createdAt: string;
  readonly updatedAt: string;
}

export interface DepositBody {
  readonly customerId: string;
  readonly amountCents: number;
  readonly balanceCents: number;
}

export interface StockAdjustmentBody {
  readonly productId: string;
  readonly delta: number;
  readonly stock: number;
}

export interface ErrorBody {
  readonly statusCode: number;
  readonly error: string;
  readonly code: string;
  readonly message: string | string[];
}

/** The claims of an access token, read without checking the signature (the server did that). */
export function tokenClaims(token: string): { sub: string; role: string } {
  const payload = token.split('.')[1] ?? '';
  return JSON.parse(Buffer.from(payload, 'base64url').toString('utf8')) as { sub: string; role: string };
}

const PAGE_LIMIT = 100;

/**
 * The public API as a client sees it, one method per call, answering with the status and
 * body instead of asserting, so that tests can fire many calls at once and judge them all.
 */
export class ShopClient {
  constructor(readonly url: string) {}

  private async send<T>(
    method: 'get' | 'post',
    path: string,
    options: { token?: string; body?: object; idempotencyKey?: string } = {},
  ): Promise<Answer<T>> {
    let test = request(this.url)[method](path);
    if (options.token) test = test.set('authorization', `Bearer ${options.token}`);
    if (options.idempotencyKey) test = test.set('idempotency-key', options.idempotencyKey);
    const response = options.body === undefined ? await test : await test.send(options.body);
    return { status: response.status, body: response.body as T };
  }

  register(body: { name: string; email: string; password: string }): Promise<Answer<CustomerBody>> {
    return this.send('post', '/api/customers', { body });
  }

  issueToken(email: string, password: string): Promise<Answer<{ accessToken: string }>> {
    return this.send('post', '/api/auth/token', { body: { email, password } });
  }

  getCustomer(token: string, customerId: string): Promise<Answer<CustomerBody>> {
    return this.send('get', `/api/customers/${customerId}`, { token });
  }

  deposit(
    token: string,
    customerId: string,
    amountCents: number,
    idempotencyKey?: string,
  ): Promise<Answer<DepositBody>> {
    return this.send('post', `/api/customers/${customerId}/deposits`, {
      token,
      body: { amountCents },
      idempotencyKey,
    });
  }

  createProduct(
    adminToken: string,
    body: { sku: string; name: string; priceCents: number; stock?: number },
  ): Promise<Answer<ProductBody>> {
    return this.send('post', '/api/products', { token: adminToken, body });
  }

  getProduct(productId: string): Promise<Answer<ProductBody>> {
    return this.send('get', `/api/products/${productId}`);
  }

  adjustStock(adminToken: string, productId: string, delta: number): Promise<Answer<StockAdjustmentBody>> {
    return this.send('post', `/api/products/${productId}/stock-adjustments`, {
      token: adminToken,
      body: { delta, reason: 'concurrency test' },
    });
  }

  placeOrder(token: string, items: readonly OrderItem[], idempotencyKey?: string): Promise<Answer<OrderBody>> {
    return this.send('post', '/api/orders', { token, body: { items }, idempotencyKey });
  }

  cancelOrder(token: string, orderId: string): Promise<Answer<OrderBody>> {
    return this.send('post', `/api/orders/${orderId}/cancel`, { token });
  }

  getOrder(token: string, orderId: string): Promise<Answer<OrderBody>> {
    return this.send('get', `/api/orders/${orderId}`, { token });
  }

  /** Every order of a customer (as the admin) or of the token's customer, newest first, all pages. */
  async allOrders(token: string, customerId?: string): Promise<OrderBody[]> {
    const orders: OrderBody[] = [];
    for (let offset = 0; ; offset += PAGE_LIMIT) {
      const query = `limit=${PAGE_LIMIT}&offset=${offset}${customerId ? `&customerId=${customerId}` : ''}`;
      const page = await this.send<{ items: OrderBody[]; total: number }>('get', `/api/orders?${query}`, { token });
      if (page.status !== 200) throw new Error(`GET /api/orders answered ${page.status}: ${JSON.stringify(page.body)}`);
      orders.push(...page.body.items);
      if (offset + PAGE_LIMIT >= page.body.total) return orders;
    }
  }
}

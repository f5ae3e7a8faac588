import { randomUUID } from 'node:crypto';
import request from 'supertest';

/**
 * The monolith's public API, as a client and an admin use it: the writes the other sides learn
 * of by events. At another side (`url`) the routes it serves answer the same; tokens still come
 * from the monolith (`authUrl`).
 */
export class LegacyShop {
  private adminToken: string | undefined;

  constructor(
    private readonly url: () => string,
    private readonly authUrl: () => string = url,
  ) {}

  async registerCustomer(): Promise<{ id: string; token: string }> {
    const email = `sync-${randomUUID()}@example.com`;
    const password = 'a strong password';
    const created = await request(this.url())
      .post('/api/customers')
      .send({ name: 'Sync Customer', email, password })
      .expect(201);
    return { id: (created.body as { id: string }).id, token: await this.token(email, password) };
  }

  async deposit(customer: { id: string; token: string }, amountCents: number): Promise<void> {
    await request(this.url())
      .post(`/api/customers/${customer.id}/deposits`)
      .set('authorization', `Bearer ${customer.token}`)
      .send({ amountCents })
      .expect(201);
  }

  /** Places an order at the monolith; resolves with its status. */
  async placeOrder(customer: { id: string; token: string }, productId: string, quantity: number): Promise<string> {
    const response = await request(this.url())
      .post('/api/orders')
      .set('authorization', `Bearer ${customer.token}`)
      .send({ items: [{ productId, quantity }] })
      .expect(201);
    return (response.body as { status: string }).status;
  }

  async createProduct(stock: number): Promise<{ id: string; sku: string; name: string; priceCents: number }> {
    const response = await request(this.url())
      .post('/api/products')
      .set('authorization', `Bearer ${await this.admin()}`)
      .send({ sku: `SYNC-${randomUUID().slice(0, 8).toUpperCase()}`, name: 'Sync mug', priceCents: 1_250, stock })
      .expect(201);
    return response.body as { id: string; sku: string; name: string; priceCents: number };
  }

  async adjustStock(productId: string, delta: number): Promise<void> {
    await request(this.url())
      .post(`/api/products/${productId}/stock-adjustments`)
      .set('authorization', `Bearer ${await this.admin()}`)
      .send({ delta, reason: 'sync:verify test' })
      .expect(201);
  }

  private async admin(): Promise<string> {
    this.adminToken ??= await this.token('admin@example.com', 'admin-password');
    return this.adminToken;
  }

  private async token(email: string, password: string): Promise<string> {
    const response = await request(this.authUrl()).post('/api/auth/token').send({ email, password }).expect(200);
    return (response.body as { accessToken: string }).accessToken;
  }
}

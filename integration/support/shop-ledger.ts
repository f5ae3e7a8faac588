import { type ApiAnswer, send } from './answers';

const NO_SUCH_ID = '00000000-0000-4000-8000-000000000000';

export interface KnownCustomer {
  readonly name: string;
  readonly email: string;
  readonly password: string;
  id?: string;
  token?: string;
}

interface KnownOrder {
  readonly id: string;
  readonly customer: string;
  readonly totalCents: number;
  readonly items: readonly { productId: string; quantity: number }[];
}

/**
 * What one side (the stack, or the monolith alone) has been told and has answered: its ids and
 * tokens by the scenario's names, and the ledger the invariants of docs/api.md are checked against
 * (every deposit, product, adjustment and order answered 201).
 */
export class ShopLedger {
  readonly customers = new Map<string, KnownCustomer>();
  readonly products = new Map<string, string>();
  adminToken = '';
  private readonly deposits = new Map<string, number>();
  private readonly depositKeys = new Set<string>();
  private readonly initialStock = new Map<string, number>();
  private readonly adjustments = new Map<string, number>();
  private readonly orders = new Map<string, KnownOrder>();
  private readonly orderNames = new Map<string, string>();

  customer(name: string): KnownCustomer {
    const customer = this.customers.get(name);
    if (!customer) throw new Error(`No customer named ${name} in this scenario`);
    return customer;
  }

  /** A customer's id by the scenario's name, or a well-formed unknown one. */
  customerId(name: string): string {
    return this.customers.get(name)?.id ?? NO_SUCH_ID;
  }

  token(name: string): string {
    if (name === 'admin') return this.adminToken;
    return this.customer(name).token ?? '';
  }

  productId(name: string): string {
    return this.products.get(name) ?? NO_SUCH_ID;
  }

  /** An order id by the scenario's name (`<customer>:<n>`), or a well-formed unknown one. */
  orderId(name: string): string {
    return this.orderNames.get(name) ?? NO_SUCH_ID;
  }

  recordDeposit(customer: string, amountCents: number, answer: ApiAnswer, idempotencyKey?: string): void {
    if (answer.status !== 201) return;
    // A repeat of a key is answered 201 again, and changes nothing.
    const key = idempotencyKey && `${customer}:${idempotencyKey}`;
    if (key && this.depositKeys.has(key)) return;
    if (key) this.depositKeys.add(key);
    this.deposits.set(customer, (this.deposits.get(customer) ?? 0) + amountCents);
  }

  recordProduct(name: string, answer: ApiAnswer): void {
    if (answer.status !== 201) return;
    const body = answer.body as { id: string; stock: number };
    this.products.set(name, body.id);
    this.initialStock.set(body.id, body.stock);
  }

  recordAdjustment(product: string, delta: number, answer: ApiAnswer): void {
    if (answer.status !== 201) return;
    const id = this.productId(product);
    this.adjustments.set(id, (this.adjustments.get(id) ?? 0) + delta);
  }

  recordOrder(name: string, customer: string, answer: ApiAnswer): void {
    if (answer.status !== 201) return;
    const body = answer.body as KnownOrder;
    this.orderNames.set(name, body.id);
    this.orders.set(body.id, { id: body.id, customer, totalCents: body.totalCents, items: body.items });
  }

  /**
   * Checks the invariants of docs/api.md through `baseUrl`: every order answered 201 reads back with
   * its id; every balance is the deposits minus the totals of the APPROVED orders, never
   * negative; every stock is the initial stock plus the adjustments minus the quantities of the
   * APPROVED orders, never negative. Returns the problems (none when all hold).
   */
  async invariantProblems(baseUrl: string): Promise<string[]> {
    const problems: string[] = [];
    const approved: KnownOrder[] = [];
    for (const order of this.orders.values()) {
      const read = await send(baseUrl, { method: 'GET', path: `/api/orders/${order.id}`, token: this.adminToken });
      const body = read.body as { id?: string; status?: string };
      if (read.status !== 200 || body.id !== order.id) {
        problems.push(`order ${order.id} answered 201 does not read back: ${read.status} ${JSON.stringify(body)}`);
      } else if (body.status === 'APPROVED') approved.push(order);
    }
    for (const [name, customer] of this.customers) {
      if (!customer.id) continue;
      const spent = approved.filter((o) => o.customer === name).reduce((sum, o) => sum + o.totalCents, 0);
      const expected = (this.deposits.get(name) ?? 0) - spent;
      const read = await send(baseUrl, {
        method: 'GET',
        path: `/api/customers/${customer.id}`,
        token: this.adminToken,
      });
      const balance = (read.body as { balanceCents?: number }).balanceCents;
      if (balance !== expected || expected < 0) {
        problems.push(`customer ${name}: balance ${balance}, expected ${expected} (deposits minus approved orders)`);
      }
    }
    for (const [name, id] of this.products) {
      const sold = approved
        .flatMap((o) => o.items)
        .filter((item) => item.productId === id)
        .reduce((sum, item) => sum + item.quantity, 0);
      const expected = (this.initialStock.get(id) ?? 0) + (this.adjustments.get(id) ?? 0) - sold;
      const read = await send(baseUrl, { method: 'GET', path: `/api/products/${id}` });
      const stock = (read.body as { stock?: number }).stock;
      if (stock !== expected || expected < 0) {
        problems.push(
          `product ${name}: stock ${stock}, expected ${expected} (initial plus adjustments minus approved)`,
        );
      }
    }
    return problems;
  }
}

import { randomUUID } from 'node:crypto';
import { type ApiAnswer, send } from './support/answers';
import type { MigrationStack } from './support/migration-stack';
import type { QuietPoint } from './support/quiet-point';
import { StackRun } from './support/stack-run';

interface Customer {
  readonly id: string;
  readonly token: string;
}

/**
 * The public API's promise for `Idempotency-Key` (a retry returns the first answer and changes
 * nothing) across a move of the deposits between the monolith and payments, each of which keeps
 * its keys in its own database: the facade sends the retry to the side that took the key first.
 */
describe('Idempotency-Key across a move of the route: the retry replays the first answer on the side that took it', () => {
  const run = new StackRun('idempotency');
  let databases: StackRun['databases'];
  let stack: MigrationStack;
  let quiet: QuietPoint;
  let version: number;
  let customer: Customer;

  const deposit = (key: string, amountCents: number): Promise<ApiAnswer> =>
    send(stack.facadeUrl, {
      method: 'POST',
      path: `/api/customers/${customer.id}/deposits`,
      token: customer.token,
      headers: { 'idempotency-key': key },
      body: { amountCents },
    });

  /** The balance as the monolith shows it and as payments keeps it (undefined before payments has the wallet). */
  async function balances(): Promise<{ legacy: number; payments: number | undefined }> {
    const read = await send(stack.url('legacy'), {
      method: 'GET',
      path: `/api/customers/${customer.id}`,
      token: customer.token,
    });
    const rows = await databases.query(
      'payments',
      `SELECT balance_cents FROM wallets WHERE customer_id = '${customer.id}'`,
    );
    const payments = rows[0]?.balance_cents;
    return {
      legacy: (read.body as { balanceCents: number }).balanceCents,
      payments: payments === undefined ? undefined : Number(payments),
    };
  }

  /** Every event delivered and applied, and both sides show `cents`. */
  const settledAt = (cents: number) =>
    quiet.reach(async () => {
      const now = await balances();
      return now.legacy === cents && now.payments === cents ? [] : [`balances ${JSON.stringify(now)}, not ${cents}`];
    });

  const asSeen = (answer: ApiAnswer) => ({ status: answer.status, body: answer.body });

  beforeAll(async () => {
    await run.start();
    ({ stack, databases, quiet } = run);
    // Version 1 is strangler/rules.yaml, loaded into the empty store.
    version = await stack.applyStage(1, 1);

    const email = `keys-${randomUUID()}@example.com`;
    const password = 'a strong password';
    const registered = await send(stack.facadeUrl, {
      method: 'POST',
      path: '/api/customers',
      body: { name: 'Keys', email, password },
    });
    const token = await send(stack.facadeUrl, { method: 'POST', path: '/api/auth/token', body: { email, password } });
    customer = {
      id: (registered.body as { id: string }).id,
      token: (token.body as { accessToken: string }).accessToken,
    };
    // Payments opens the wallet from customer.registered.
    await settledAt(0);
  }, 150_000);

  afterAll(() => run.close(), 60_000);

  it('a deposit taken by the monolith, retried after deposits moved to payments, is not applied again', async () => {
    const key = `deposit-${randomUUID()}`;
    const first = await deposit(key, 500);
    expect(asSeen(first)).toEqual({
      status: 201,
      body: { customerId: customer.id, amountCents: 500, balanceCents: 500 },
    });
    expect(first.headers['x-strangler-upstream']).toBe('legacy');

    version = await stack.applyStage(3, version);
    await settledAt(500);
    const retry = await deposit(key, 500);
    expect(asSeen(retry)).toEqual(asSeen(first));
    expect(retry.headers).toMatchObject({ 'x-strangler-upstream': 'legacy', 'x-strangler-idempotency': 'followed' });
    // explain says so too.
    const explained = await stack.strangler<{ upstream: string; reason: string; idempotencyPin: unknown }>(
      'explain',
      'POST',
      `/api/customers/${customer.id}/deposits`,
      '-H',
      `authorization: Bearer ${customer.token}`,
      '-H',
      `idempotency-key: ${key}`,
    );
    expect(explained).toMatchObject({
      upstream: 'legacy',
      idempotencyPin: { upstream: 'legacy', expiresInMs: expect.any(Number) },
      reason: expect.stringMatching(/^pinned by Idempotency-Key to legacy/),
    });
    // A new key follows the rules.
    const next = await deposit(`deposit-${randomUUID()}`, 100);
    expect(asSeen(next)).toEqual({
      status: 201,
      body: { customerId: customer.id, amountCents: 100, balanceCents: 600 },
    });
    expect(next.headers['x-strangler-upstream']).toBe('payments');
    await settledAt(600);
  }, 60_000);

  it('and the way back: a deposit taken by payments, retried after deposits went back to the monolith', async () => {
    const key = `deposit-${randomUUID()}`;
    const first = await deposit(key, 250);
    expect(asSeen(first)).toEqual({
      status: 201,
      body: { customerId: customer.id, amountCents: 250, balanceCents: 850 },
    });
    expect(first.headers['x-strangler-upstream']).toBe('payments');

    version = await stack.applyStage(1, version);
    await settledAt(850);
    const retry = await deposit(key, 250);
    expect(asSeen(retry)).toEqual(asSeen(first));
    expect(retry.headers).toMatchObject({ 'x-strangler-upstream': 'payments', 'x-strangler-idempotency': 'followed' });
    await settledAt(850);
  }, 60_000);

  it('a key first used during a canary stays on its side when the canary ends either way', async () => {
    version = await stack.applyStage(3, version);
    version = await stack.setGroup('payments', version, 'half the wallets', '--mode', 'canary', '--percent', '50');
    const key = `deposit-${randomUUID()}`;
    const first = await deposit(key, 50);
    expect(asSeen(first)).toEqual({
      status: 201,
      body: { customerId: customer.id, amountCents: 50, balanceCents: 900 },
    });
    const side = first.headers['x-strangler-upstream'];
    await settledAt(900);

    // The canary ends on the other side from the one this customer was on.
    const mode = side === 'payments' ? 'legacy' : 'live';
    version = await stack.setGroup('payments', version, 'canary over', '--mode', mode);
    const retry = await deposit(key, 50);
    expect(asSeen(retry)).toEqual(asSeen(first));
    expect(retry.headers['x-strangler-upstream']).toBe(side);
    await settledAt(900);
  }, 60_000);
});

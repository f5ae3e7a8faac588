import { randomUUID } from 'node:crypto';
import type { Response } from 'supertest';
import { JwtCodec } from '@app/auth';
import { eventually } from '../../../tools/testing/test-streams';
import { DEPOSIT_KEYS, ISO_TIMESTAMP, expectError, expectJson } from './support/api-expectations';
import { LegacyCustomer } from './support/legacy-events';
import { PaymentsHarness, TEST_JWT_SECRET, bearer } from './support/payments-harness';

const newKey = () => `key-${randomUUID()}`;

/** The same answer: status, and the body byte for byte (so field order too). */
function expectSameAnswer(replay: Response, first: Response): void {
  expect({ status: replay.status, text: replay.text }).toEqual({ status: first.status, text: first.text });
}

describe('POST /api/customers/{id}/deposits, served by payments as the monolith serves it', () => {
  let payments: PaymentsHarness;
  beforeAll(async () => {
    payments = await PaymentsHarness.start();
  });
  afterAll(() => payments.close());

  /** A customer registered at the monolith (and known to payments), with `balanceCents` deposited there. */
  async function customerWith(balanceCents: number): Promise<LegacyCustomer> {
    const customer = new LegacyCustomer();
    await payments.publish(customer.registered());
    if (balanceCents > 0) await payments.publish(customer.deposited(balanceCents));
    await eventually(
      () => payments.wallet(customer.id),
      (wallet) => wallet?.balanceCents === balanceCents,
    );
    return customer;
  }

  const balance = async (customer: LegacyCustomer) => (await payments.wallet(customer.id))?.balanceCents;

  describe('success', () => {
    it('answers 201 { customerId, amountCents, balanceCents } and credits the wallet', async () => {
      const customer = await customerWith(0);

      const first = await payments.deposit(customer.id, { amountCents: 2_500 });
      const second = await payments.deposit(customer.id, { amountCents: 40 });

      expect(first.status).toBe(201);
      expectJson(first);
      expect(Object.keys(first.body)).toEqual(DEPOSIT_KEYS);
      expect(first.body).toEqual({ customerId: customer.id, amountCents: 2_500, balanceCents: 2_500 });
      expect(second.status).toBe(201);
      expect(second.body).toEqual({ customerId: customer.id, amountCents: 40, balanceCents: 2_540 });
      expect(await payments.wallet(customer.id)).toEqual({
        balanceCents: 2_540,
        entries: [
          [2_500, 2_500, 'deposit', null],
          [40, 2_540, 'deposit', null],
        ],
      });
    });

    it("lets an admin deposit into a customer's wallet", async () => {
      const customer = await customerWith(100);

      const response = await payments.deposit(customer.id, { amountCents: 900 }, payments.adminToken());

      expect(response.status).toBe(201);
      expect(response.body).toEqual({ customerId: customer.id, amountCents: 900, balanceCents: 1_000 });
      expect(await balance(customer)).toBe(1_000);
    });

    it.each([
      ['the smallest amount, 1', 1],
      ['the largest amount, 10000000', 10_000_000],
    ])('accepts %s', async (_case, amountCents) => {
      const customer = await customerWith(0);

      const response = await payments.deposit(customer.id, { amountCents });

      expect(response.status).toBe(201);
      expect(response.body).toEqual({ customerId: customer.id, amountCents, balanceCents: amountCents });
    });

    it('matches the path id case-insensitively and answers it lower-cased', async () => {
      const customer = await customerWith(0);

      const response = await payments.deposit(
        customer.id.toUpperCase(),
        { amountCents: 10 },
        payments.token(customer.id),
      );

      expect(response.status).toBe(201);
      expect(response.body).toEqual({ customerId: customer.id, amountCents: 10, balanceCents: 10 });
    });

    it('publishes wallet.credited (deposit) with origin payments, numbered in its own sequence for the customer', async () => {
      const customer = await customerWith(1_000);

      await payments.deposit(customer.id, { amountCents: 300 }).expect(201);
      await payments.deposit(customer.id, { amountCents: 7 }).expect(201);

      const events = await eventually(
        () => payments.publishedEvents('wallet.credited', customer.id),
        (found) => found.length === 2,
      );
      expect(events.map((event) => event.data)).toEqual([
        {
          id: events[0]?.id,
          schemaVersion: 1,
          occurredAt: expect.stringMatching(ISO_TIMESTAMP),
          origin: 'payments',
          aggregateId: customer.id,
          sequence: 1,
          customerId: customer.id,
          amountCents: 300,
          balanceCents: 1_300,
          reason: 'deposit',
          orderId: null,
        },
        {
          id: events[1]?.id,
          schemaVersion: 1,
          occurredAt: expect.stringMatching(ISO_TIMESTAMP),
          origin: 'payments',
          aggregateId: customer.id,
          sequence: 2,
          customerId: customer.id,
          amountCents: 7,
          balanceCents: 1_307,
          reason: 'deposit',
          orderId: null,
        },
      ]);
      expect(events.map((event) => event.meta.origin)).toEqual(['payments', 'payments']);
    });
  });

  describe('refusals, each changing nothing', () => {
    it.each([
      ['amountCents 0', { amountCents: 0 }],
      ['a negative amountCents', { amountCents: -100 }],
      ['amountCents 10000001', { amountCents: 10_000_001 }],
      ['a fractional amountCents', { amountCents: 10.5 }],
      ['amountCents as a string', { amountCents: '100' }],
      ['amountCents null', { amountCents: null }],
      ['no amountCents', {}],
      ['an unknown field', { amountCents: 100, currency: 'EUR' }],
    ])('answers 400 VALIDATION_FAILED for %s', async (_case, body) => {
      const customer = await customerWith(50);

      const response = await payments.deposit(customer.id, body);

      expectError(response, 400, 'VALIDATION_FAILED');
      expect(await balance(customer)).toBe(50);
    });

    it('answers 400 VALIDATION_FAILED naming the field', async () => {
      const customer = await customerWith(0);

      const response = await payments.deposit(customer.id, { amountCents: 100, currency: 'EUR' });

      expectError(response, 400, 'VALIDATION_FAILED', ['body: Unrecognized key: "currency"']);
    });

    it('answers 400 VALIDATION_FAILED for a path id that is not a UUID', async () => {
      const response = await payments.deposit('not-a-uuid', { amountCents: 100 }, payments.adminToken());

      expectError(response, 400, 'VALIDATION_FAILED', ['id: must be a UUID']);
    });

    it('answers 400 MALFORMED_JSON for a body that is not valid JSON', async () => {
      const customer = await customerWith(50);

      for (const text of ['{bad', "{'amountCents': 1}", '{"amountCents": 1,}', '{"amountCents": 1} trailing']) {
        const response = await payments
          .http()
          .post(`/api/customers/${customer.id}/deposits`)
          .set(bearer(payments.token(customer.id)))
          .set('content-type', 'application/json')
          .send(text);

        expectError(response, 400, 'MALFORMED_JSON');
      }
      expect(await balance(customer)).toBe(50);
    });

    it('answers 413 PAYLOAD_TOO_LARGE for a body over 100 KiB', async () => {
      const customer = await customerWith(0);
      const json = JSON.stringify({ amountCents: 1 });

      const response = await payments
        .http()
        .post(`/api/customers/${customer.id}/deposits`)
        .set(bearer(payments.token(customer.id)))
        .set('content-type', 'application/json')
        .send(json + ' '.repeat(100 * 1024 + 1 - json.length));

      expectError(response, 413, 'PAYLOAD_TOO_LARGE');
      expect(await balance(customer)).toBe(0);
    });

    it.each([
      ['without a token', undefined],
      ['with a malformed token', 'Bearer not.a.token'],
      ['with a token signed with another secret', 'other'],
      ['with an expired token', 'expired'],
    ])('answers 401 UNAUTHENTICATED %s', async (_case, kind) => {
      const customer = await customerWith(0);
      const principal = { id: customer.id, role: 'customer' as const };
      const header =
        kind === 'other'
          ? `Bearer ${new JwtCodec('another-secret-0123456789abcdef0123456789').issue(principal).accessToken}`
          : kind === 'expired'
            ? `Bearer ${new JwtCodec(TEST_JWT_SECRET).issue(principal, Date.now() - 16 * 60_000).accessToken}`
            : kind;
      const test = payments.http().post(`/api/customers/${customer.id}/deposits`);

      const response = await (header ? test.set('authorization', header) : test).send({ amountCents: 100 });

      expectError(response, 401, 'UNAUTHENTICATED');
      expect(await balance(customer)).toBe(0);
    });

    it('checks the token before the body (401 for an invalid body without a token)', async () => {
      const customer = await customerWith(0);

      const response = await payments.http().post(`/api/customers/${customer.id}/deposits`).send({ amountCents: 0 });

      expectError(response, 401, 'UNAUTHENTICATED');
    });

    it("answers 403 FORBIDDEN to a customer depositing into another customer's wallet, which does not change", async () => {
      const [payer, other] = [await customerWith(0), await customerWith(0)];

      const response = await payments.deposit(other.id, { amountCents: 100 }, payments.token(payer.id));

      expectError(response, 403, 'FORBIDDEN', 'Customers may only deposit into their own wallet.');
      expect(await balance(other)).toBe(0);
      expect(await balance(payer)).toBe(0);
    });

    it('validates the body before the use case (400 for an invalid body into another wallet)', async () => {
      const [payer, other] = [await customerWith(0), await customerWith(0)];

      const response = await payments.deposit(other.id, { amountCents: 0 }, payments.token(payer.id));

      expectError(response, 400, 'VALIDATION_FAILED');
    });

    it('answers 404 CUSTOMER_NOT_FOUND to an admin for an id no wallet has', async () => {
      const id = randomUUID();

      const response = await payments.deposit(id, { amountCents: 100 }, payments.adminToken());

      expectError(response, 404, 'CUSTOMER_NOT_FOUND', `No customer has the id ${id}.`);
      expect(await payments.wallet(id)).toBeNull();
    });

    it('answers 404 CUSTOMER_NOT_FOUND to a customer payments does not know yet (not registered here)', async () => {
      const unknown = new LegacyCustomer();

      const response = await payments.deposit(unknown.id, { amountCents: 100 });

      expectError(response, 404, 'CUSTOMER_NOT_FOUND', `No customer has the id ${unknown.id}.`);
    });
  });

  describe('Idempotency-Key', () => {
    it('answers a repeat with the same key and body with the first response, credits once and publishes once', async () => {
      const customer = await customerWith(0);
      const key = newKey();

      const first = await payments.deposit(customer.id, { amountCents: 2_500 }, undefined, key);
      const replays = [
        await payments.deposit(customer.id, { amountCents: 2_500 }, undefined, key),
        await payments.deposit(customer.id, { amountCents: 2_500 }, undefined, key),
      ];
      // A later deposit without a key: the stream then shows exactly what was credited.
      await payments.deposit(customer.id, { amountCents: 1 }).expect(201);

      expect(first.status).toBe(201);
      expect(first.body).toEqual({ customerId: customer.id, amountCents: 2_500, balanceCents: 2_500 });
      for (const replay of replays) expectSameAnswer(replay, first);
      expect(await balance(customer)).toBe(2_501);
      const events = await eventually(
        () => payments.publishedEvents('wallet.credited', customer.id),
        (found) => found.length >= 2,
      );
      expect(events.map((event) => [event.data.sequence, event.data.amountCents, event.data.balanceCents])).toEqual([
        [1, 2_500, 2_500],
        [2, 1, 2_501],
      ]);
    });

    it('replays the first response, not the current balance', async () => {
      const customer = await customerWith(0);
      const key = newKey();
      const first = await payments.deposit(customer.id, { amountCents: 100 }, undefined, key);
      await payments.deposit(customer.id, { amountCents: 900 }).expect(201);

      const replay = await payments.deposit(customer.id, { amountCents: 100 }, undefined, key);

      expectSameAnswer(replay, first);
      expect(replay.body.balanceCents).toBe(100);
      expect(await balance(customer)).toBe(1_000);
    });

    it('answers 422 IDEMPOTENCY_KEY_REUSED for the same key with another amount, and credits nothing', async () => {
      const customer = await customerWith(0);
      const key = newKey();
      await payments.deposit(customer.id, { amountCents: 100 }, undefined, key).expect(201);

      const reused = await payments.deposit(customer.id, { amountCents: 200 }, undefined, key);

      expectError(reused, 422, 'IDEMPOTENCY_KEY_REUSED');
      expect(await balance(customer)).toBe(100);
    });

    it('answers 422 IDEMPOTENCY_KEY_REUSED to an admin reusing a key for another customer, and credits nothing', async () => {
      const [first, second] = [await customerWith(0), await customerWith(0)];
      const key = newKey();
      const admin = payments.adminToken();
      await payments.deposit(first.id, { amountCents: 100 }, admin, key).expect(201);

      const reused = await payments.deposit(second.id, { amountCents: 100 }, admin, key);

      expectError(reused, 422, 'IDEMPOTENCY_KEY_REUSED');
      expect(await balance(first)).toBe(100);
      expect(await balance(second)).toBe(0);
    });

    it('scopes keys to the caller: a customer and an admin may use the same key for the same wallet', async () => {
      const customer = await customerWith(0);
      const key = newKey();

      const byCustomer = await payments.deposit(customer.id, { amountCents: 100 }, undefined, key);
      const byAdmin = await payments.deposit(customer.id, { amountCents: 100 }, payments.adminToken(), key);

      expect(byCustomer.body.balanceCents).toBe(100);
      expect(byAdmin.status).toBe(201);
      expect(byAdmin.body.balanceCents).toBe(200);
      expect(await balance(customer)).toBe(200);
    });

    it('does not record a refused request: its key may then be used', async () => {
      const [customer, other] = [await customerWith(0), await customerWith(0)];
      const key = newKey();

      const refused = await payments.deposit(other.id, { amountCents: 100 }, payments.token(customer.id), key);
      const own = await payments.deposit(customer.id, { amountCents: 100 }, undefined, key);

      expectError(refused, 403, 'FORBIDDEN');
      expect(own.status).toBe(201);
      expect(await balance(customer)).toBe(100);
      expect(await balance(other)).toBe(0);
    });

    it.each([
      ['an empty key', ''],
      ['a key of 129 characters', 'k'.repeat(129)],
      ['a key with a tab', 'key\twith-tab'],
    ])('answers 400 VALIDATION_FAILED to a deposit with %s, and credits nothing', async (_case, key) => {
      const customer = await customerWith(0);

      const response = await payments.deposit(customer.id, { amountCents: 100 }, undefined, key);

      expectError(response, 400, 'VALIDATION_FAILED');
      expect(await balance(customer)).toBe(0);
    });
  });
});

import { randomUUID } from 'node:crypto';
import { DEPOSIT_KEYS, expectCustomerShape, expectError, expectJson } from './support/api-expectations';
import { LegacyHarness, TEST_ADMIN, bearer } from './support/legacy-harness';

const uniqueEmail = (tag = 'customer') => `${tag}-${randomUUID()}@example.com`;

describe('customers: POST /api/customers, GET /api/customers/{id}, POST /api/customers/{id}/deposits', () => {
  let legacy: LegacyHarness;

  beforeAll(async () => {
    legacy = await LegacyHarness.start();
  });
  afterAll(() => legacy.close());

  describe('POST /api/customers (anyone)', () => {
    it('answers 201 with the Customer, balanceCents 0, its email lower-cased', async () => {
      const email = `Mixed.Case-${randomUUID()}@Example.COM`;
      const before = Date.now();

      const response = await legacy
        .http()
        .post('/api/customers')
        .send({ name: 'Ada Lovelace', email, password: 'p4ssword!' });

      expect(response.status).toBe(201);
      expectJson(response);
      expectCustomerShape(response.body);
      expect(response.body).toEqual({
        id: expect.any(String),
        name: 'Ada Lovelace',
        email: email.toLowerCase(),
        balanceCents: 0,
        createdAt: expect.any(String),
      });
      const createdAt = Date.parse(response.body.createdAt);
      expect(createdAt).toBeGreaterThanOrEqual(before - 1);
      expect(createdAt).toBeLessThanOrEqual(Date.now() + 1);
    });

    it('stores the customer: the same Customer is read back, with the email lower-cased', async () => {
      const email = `UPPER-${randomUUID()}@EXAMPLE.COM`;
      const created = await legacy.http().post('/api/customers').send({ name: 'Grace', email, password: 'p4ssword!' });
      const token = await legacy.token(email, 'p4ssword!');

      const read = await legacy.http().get(`/api/customers/${created.body.id}`).set(bearer(token));

      expect(read.status).toBe(200);
      expect(read.body).toEqual(created.body);
      expect(read.body.email).toBe(email.toLowerCase());
    });

    it.each([
      ['a name of 1 character', { name: 'A' }],
      ['a name of 100 characters', { name: 'n'.repeat(100) }],
      ['a password of 8 characters', { password: '12345678' }],
      ['a password of 128 characters', { password: 'p'.repeat(128) }],
      ['a name with non-ASCII characters', { name: 'Zoë Ñandú 李' }],
      // Lengths count characters (code points), as the published JSON Schema maxLength does.
      ['a name of 100 characters outside the BMP (200 UTF-16 code units)', { name: '\u{1F600}'.repeat(100) }],
      ['a password of 128 characters outside the BMP', { password: '\u{1F600}'.repeat(128) }],
    ])('accepts %s', async (_case, override) => {
      const body = { name: 'Valid Name', email: uniqueEmail(), password: 'a password', ...override };

      const response = await legacy.http().post('/api/customers').send(body);

      expect(response.status).toBe(201);
      expectCustomerShape(response.body);
      expect(response.body.name).toBe(body.name);
      await expect(legacy.token(body.email, body.password)).resolves.toEqual(expect.any(String));
    });

    it.each([
      ['no name', { name: undefined }],
      ['an empty name', { name: '' }],
      ['a name of 101 characters', { name: 'n'.repeat(101) }],
      ['a name that is a number', { name: 42 }],
      ['a name that is null', { name: null }],
      ['no email', { email: undefined }],
      ['an email that is not an email', { email: 'not-an-email' }],
      ['an email that is a number', { email: 7 }],
      ['no password', { password: undefined }],
      ['a password of 7 characters', { password: '1234567' }],
      ['a password of 7 characters outside the BMP (14 UTF-16 code units)', { password: '\u{1F600}'.repeat(7) }],
      ['a password of 129 characters', { password: 'p'.repeat(129) }],
      ['a password that is a number', { password: 12345678 }],
      ['a name with a NUL character', { name: 'Ada\u0000' }],
      ['an unknown field', { nickname: 'Ada' }],
      ['a balanceCents field', { balanceCents: 1_000 }],
      ['an id field', { id: randomUUID() }],
    ])('answers 400 VALIDATION_FAILED for %s, and registers no one', async (_case, override) => {
      const body: Record<string, unknown> = { name: 'Valid Name', email: uniqueEmail(), password: 'a password' };
      for (const [field, value] of Object.entries(override)) {
        if (value === undefined) delete body[field];
        else body[field] = value;
      }

      const response = await legacy.http().post('/api/customers').send(body);

      expectError(response, 400, 'VALIDATION_FAILED');
      if (typeof body.email === 'string' && typeof body.password === 'string') {
        const login = await legacy.http().post('/api/auth/token').send({ email: body.email, password: body.password });
        expectError(login, 401, 'INVALID_CREDENTIALS');
      }
    });

    it.each([
      ['the same email', (email: string) => email],
      ['the email upper-cased', (email: string) => email.toUpperCase()],
      ['the email with mixed case', (email: string) => email.replace(/^./, (first) => first.toUpperCase())],
    ])('answers 409 CUSTOMER_EMAIL_TAKEN for %s, and keeps the first account', async (_case, variant) => {
      const first = await legacy.registerCustomer({ email: uniqueEmail('taken') });

      const response = await legacy
        .http()
        .post('/api/customers')
        .send({ name: 'Someone Else', email: variant(first.email), password: 'another password' });

      expectError(response, 409, 'CUSTOMER_EMAIL_TAKEN');
      await expect(legacy.token(first.email, first.password)).resolves.toEqual(expect.any(String));
      const login = await legacy
        .http()
        .post('/api/auth/token')
        .send({ email: first.email, password: 'another password' });
      expectError(login, 401, 'INVALID_CREDENTIALS');
    });

    it('answers 409 CUSTOMER_EMAIL_TAKEN when a customer registers with the case-insensitive email of another, registered in upper case', async () => {
      const email = uniqueEmail('upper').toUpperCase();
      await legacy.registerCustomer({ email });

      const response = await legacy
        .http()
        .post('/api/customers')
        .send({ name: 'Someone', email: email.toLowerCase(), password: 'a password' });

      expectError(response, 409, 'CUSTOMER_EMAIL_TAKEN');
    });

    it("answers 409 CUSTOMER_EMAIL_TAKEN for the admin account's email, whatever its case", async () => {
      const response = await legacy
        .http()
        .post('/api/customers')
        .send({ name: 'Impostor', email: TEST_ADMIN.email.toUpperCase(), password: 'a password' });

      expectError(response, 409, 'CUSTOMER_EMAIL_TAKEN');
      const admin = await legacy.http().post('/api/auth/token').send(TEST_ADMIN);
      expect(admin.status).toBe(200);
    });
  });

  describe('GET /api/customers/{id} (that customer, admin)', () => {
    it('answers 200 with the Customer to that customer', async () => {
      const customer = await legacy.registerCustomer({ name: 'Reader' });

      const response = await legacy.http().get(`/api/customers/${customer.id}`).set(bearer(customer.token));

      expect(response.status).toBe(200);
      expectJson(response);
      expectCustomerShape(response.body);
      expect(response.body).toEqual({
        id: customer.id,
        name: 'Reader',
        email: customer.email,
        balanceCents: 0,
        createdAt: expect.any(String),
      });
    });

    it('answers 200 with the Customer to an admin', async () => {
      const customer = await legacy.registerCustomer({ name: 'Read By Admin' });
      await legacy.deposit(customer, 1_234);

      const response = await legacy
        .http()
        .get(`/api/customers/${customer.id}`)
        .set(bearer(await legacy.adminToken()));

      expect(response.status).toBe(200);
      expectCustomerShape(response.body);
      expect(response.body).toMatchObject({ id: customer.id, name: 'Read By Admin', balanceCents: 1_234 });
    });

    it("answers 403 FORBIDDEN to a customer reading another customer's record", async () => {
      const [reader, other] = [await legacy.registerCustomer(), await legacy.registerCustomer()];

      const response = await legacy.http().get(`/api/customers/${other.id}`).set(bearer(reader.token));

      expectError(response, 403, 'FORBIDDEN');
    });

    it('answers 404 CUSTOMER_NOT_FOUND to an admin for an id no customer has', async () => {
      const response = await legacy
        .http()
        .get(`/api/customers/${randomUUID()}`)
        .set(bearer(await legacy.adminToken()));

      expectError(response, 404, 'CUSTOMER_NOT_FOUND');
    });

    it('answers 401 UNAUTHENTICATED without a token', async () => {
      const customer = await legacy.registerCustomer();

      expectError(await legacy.http().get(`/api/customers/${customer.id}`), 401, 'UNAUTHENTICATED');
    });
  });

  describe('POST /api/customers/{id}/deposits (that customer, admin)', () => {
    it('answers 201 { customerId, amountCents, balanceCents } and credits the wallet', async () => {
      const customer = await legacy.registerCustomer();

      const first = await legacy
        .http()
        .post(`/api/customers/${customer.id}/deposits`)
        .set(bearer(customer.token))
        .send({ amountCents: 2_500 });
      const second = await legacy
        .http()
        .post(`/api/customers/${customer.id}/deposits`)
        .set(bearer(customer.token))
        .send({ amountCents: 40 });

      expect(first.status).toBe(201);
      expectJson(first);
      expect(Object.keys(first.body)).toEqual(DEPOSIT_KEYS);
      expect(first.body).toEqual({ customerId: customer.id, amountCents: 2_500, balanceCents: 2_500 });
      expect(second.status).toBe(201);
      expect(second.body).toEqual({ customerId: customer.id, amountCents: 40, balanceCents: 2_540 });
      expect(await legacy.balance(customer)).toBe(2_540);
    });

    it("lets an admin deposit into a customer's wallet", async () => {
      const customer = await legacy.registerCustomer();
      await legacy.deposit(customer, 100);

      const response = await legacy
        .http()
        .post(`/api/customers/${customer.id}/deposits`)
        .set(bearer(await legacy.adminToken()))
        .send({ amountCents: 900 });

      expect(response.status).toBe(201);
      expect(response.body).toEqual({ customerId: customer.id, amountCents: 900, balanceCents: 1_000 });
      expect(await legacy.balance(customer)).toBe(1_000);
    });

    it.each([
      ['the smallest amount, 1', 1],
      ['the largest amount, 10000000', 10_000_000],
    ])('accepts %s', async (_case, amountCents) => {
      const customer = await legacy.registerCustomer();

      const response = await legacy
        .http()
        .post(`/api/customers/${customer.id}/deposits`)
        .set(bearer(customer.token))
        .send({ amountCents });

      expect(response.status).toBe(201);
      expect(response.body).toEqual({ customerId: customer.id, amountCents, balanceCents: amountCents });
    });

    it.each([
      ['amountCents 0', { amountCents: 0 }],
      ['a negative amountCents', { amountCents: -100 }],
      ['amountCents 10000001', { amountCents: 10_000_001 }],
      ['a fractional amountCents', { amountCents: 10.5 }],
      ['amountCents as a string', { amountCents: '100' }],
      ['amountCents null', { amountCents: null }],
      ['no amountCents', {}],
      ['an unknown field', { amountCents: 100, currency: 'EUR' }],
    ])('answers 400 VALIDATION_FAILED for %s, and the balance does not change', async (_case, body) => {
      const customer = await legacy.registerCustomer();
      await legacy.deposit(customer, 50);

      const response = await legacy
        .http()
        .post(`/api/customers/${customer.id}/deposits`)
        .set(bearer(customer.token))
        .send(body);

      expectError(response, 400, 'VALIDATION_FAILED');
      expect(await legacy.balance(customer)).toBe(50);
    });

    it("answers 403 FORBIDDEN to a customer depositing into another customer's wallet, which does not change", async () => {
      const [payer, other] = [await legacy.registerCustomer(), await legacy.registerCustomer()];

      const response = await legacy
        .http()
        .post(`/api/customers/${other.id}/deposits`)
        .set(bearer(payer.token))
        .send({ amountCents: 100 });

      expectError(response, 403, 'FORBIDDEN');
      expect(await legacy.balance(other)).toBe(0);
    });

    it('answers 404 CUSTOMER_NOT_FOUND to an admin for an id no customer has', async () => {
      const response = await legacy
        .http()
        .post(`/api/customers/${randomUUID()}/deposits`)
        .set(bearer(await legacy.adminToken()))
        .send({ amountCents: 100 });

      expectError(response, 404, 'CUSTOMER_NOT_FOUND');
    });

    it('answers 401 UNAUTHENTICATED without a token, and the balance does not change', async () => {
      const customer = await legacy.registerCustomer();

      const response = await legacy.http().post(`/api/customers/${customer.id}/deposits`).send({ amountCents: 100 });

      expectError(response, 401, 'UNAUTHENTICATED');
      expect(await legacy.balance(customer)).toBe(0);
    });
  });
});

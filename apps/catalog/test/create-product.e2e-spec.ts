import { randomBytes, randomUUID } from 'node:crypto';
import jwt from 'jsonwebtoken';
import { eventually, readDeadLetters, readEvents } from '../../../tools/testing/test-streams';
import { type ProductBody, expectError, expectJson, expectProductShape } from './support/api-expectations';
import { CatalogHarness, TEST_JWT_SECRET, bearer, tokenFor } from './support/catalog-harness';
import { newProduct, productCreated } from './support/product-events';

const newTag = () => `T${randomBytes(4).toString('hex').toUpperCase()}`;

describe('POST /api/products (admin)', () => {
  let catalog: CatalogHarness;
  const admin = tokenFor('admin');
  beforeAll(async () => {
    catalog = await CatalogHarness.start();
  });
  afterAll(() => catalog.close());

  /** POST /api/products with the token (the admin's unless given; `null`: none). */
  const create = (body: unknown, token: string | null = admin) => {
    const call = catalog.http().post('/api/products');
    return (token === null ? call : call.set(bearer(token))).send(body as object);
  };
  const count = async (q: string) =>
    ((await catalog.http().get('/api/products').query({ q })).body as { total: number }).total;

  it('answers 201 with the Product, which GET answers the same', async () => {
    const sku = `${newTag()}-MUG-01`;
    const before = Date.now();

    const response = await create({ sku, name: 'Blue mug', priceCents: 1_250, stock: 7 });

    expect(response.status).toBe(201);
    expectJson(response);
    expectProductShape(response.body);
    expect(response.body).toEqual({
      id: response.body.id,
      sku,
      name: 'Blue mug',
      priceCents: 1_250,
      stock: 7,
      createdAt: response.body.createdAt,
      updatedAt: response.body.createdAt,
    });
    expect(Date.parse(response.body.createdAt)).toBeGreaterThanOrEqual(before - 1);
    expect(Date.parse(response.body.createdAt)).toBeLessThanOrEqual(Date.now() + 1);
    expect((await catalog.http().get(`/api/products/${response.body.id}`)).body).toEqual(response.body);
  });

  it('gives stock 0 when the body has none', async () => {
    const response = await create({ sku: `${newTag()}-NOSTOCK`, name: 'No stock given', priceCents: 500 });

    expect(response.status).toBe(201);
    expect(response.body.stock).toBe(0);
    expect((await catalog.product(response.body.id))?.stock).toBe(0);
  });

  it('records product.created with origin catalog and the timestamps of the answer, and does not apply it again', async () => {
    const response = await create({ sku: `${newTag()}-EVENT`, name: 'Évènement', priceCents: 99, stock: 3 });
    const product = response.body as ProductBody;

    const events = await eventually(
      () => readEvents(catalog.redisPrefix, 'product.created'),
      (found) => found.some((event) => event.data.productId === product.id),
    );

    const event = events.find((found) => found.data.productId === product.id)!;
    expect(event.id).toBe(event.data.id);
    expect(event.meta).toMatchObject({ origin: 'catalog' });
    expect(event.data).toEqual({
      id: expect.any(String),
      schemaVersion: 1,
      occurredAt: product.createdAt,
      origin: 'catalog',
      aggregateId: product.id,
      sequence: 1,
      productId: product.id,
      sku: product.sku,
      name: 'Évènement',
      priceCents: 99,
      stock: 3,
      createdAt: product.createdAt,
      updatedAt: product.updatedAt,
    });
    // Its own event came back on the stream it reads: skipped, so nothing failed and nothing changed.
    const marker = newProduct();
    await catalog.publish('product.created', productCreated('legacy-monolith', marker));
    await catalog.productBecomes(marker.productId);
    expect(await readDeadLetters(catalog.redisPrefix, 'catalog')).toEqual([]);
    expect(await catalog.product(product.id)).toEqual(product);
  });

  it('answers 409 PRODUCT_SKU_TAKEN for a SKU in use, keeps the first product and records no event', async () => {
    const sku = `${newTag()}-TAKEN`;
    const first = await create({ sku, name: 'First', priceCents: 100, stock: 1 });

    const response = await create({ sku, name: 'Second', priceCents: 200, stock: 2 });

    expectError(response, 409, 'PRODUCT_SKU_TAKEN', `A product with the SKU ${sku} already exists.`);
    const page = await catalog.http().get('/api/products').query({ q: sku });
    expect(page.body).toEqual({ items: [first.body], total: 1, limit: 20, offset: 0 });
    await eventually(
      () => readEvents(catalog.redisPrefix, 'product.created'),
      (events) => events.some((event) => event.data.sku === sku),
    );
    const events = await readEvents(catalog.redisPrefix, 'product.created');
    expect(events.filter((event) => event.data.sku === sku)).toHaveLength(1);
  });

  it('answers 409 PRODUCT_SKU_TAKEN for the SKU of a product the monolith created', async () => {
    const legacy = newProduct();
    await catalog.publish('product.created', productCreated('legacy-monolith', legacy));
    await catalog.productBecomes(legacy.productId);

    const response = await create({ sku: legacy.sku, name: 'Copy', priceCents: 1 });

    expectError(response, 409, 'PRODUCT_SKU_TAKEN', `A product with the SKU ${legacy.sku} already exists.`);
  });

  describe('authentication and role, checked before the body', () => {
    const valid = () => ({ sku: `${newTag()}-AUTH`, name: 'Auth', priceCents: 1 });
    const now = () => Math.floor(Date.now() / 1000);

    it.each([
      ['no token', () => null, 'This route needs an Authorization: Bearer <token> header.'],
      ['a malformed token', () => 'not-a-jwt', 'The token is malformed or its signature is invalid.'],
      [
        'a token signed with another secret',
        () => jwt.sign({ sub: randomUUID(), role: 'admin' }, 'another-secret', { expiresIn: 900 }),
        'The token is malformed or its signature is invalid.',
      ],
      [
        'an expired token',
        () => jwt.sign({ sub: randomUUID(), role: 'admin', iat: now() - 1_000, exp: now() - 100 }, TEST_JWT_SECRET),
        'The token has expired.',
      ],
    ])('answers 401 UNAUTHENTICATED for %s, and creates nothing', async (_case, token, message) => {
      const body = valid();

      const response = await create(body, token());

      expectError(response, 401, 'UNAUTHENTICATED', message);
      expect(await count(body.sku)).toBe(0);
    });

    it('answers 401 before validating the body', async () => {
      expectError(await create({ colour: 'blue' }, null), 401, 'UNAUTHENTICATED');
    });

    it('answers 403 FORBIDDEN to a customer token, also with an invalid body', async () => {
      const body = valid();
      const customer = tokenFor('customer');

      expectError(await create(body, customer), 403, 'FORBIDDEN', 'This route is for admin tokens.');
      expectError(await create({ colour: 'blue' }, customer), 403, 'FORBIDDEN', 'This route is for admin tokens.');
      expect(await count(body.sku)).toBe(0);
    });
  });

  describe('validation', () => {
    it.each([
      ['no sku', { sku: undefined }, ['sku: Invalid input: expected string, received undefined']],
      ['a lower-case sku', { sku: 'mug-001' }, ['sku: must be 1 to 64 characters of A-Z, 0-9 and -']],
      ['a sku with an underscore', { sku: 'MUG_001' }, ['sku: must be 1 to 64 characters of A-Z, 0-9 and -']],
      ['a sku of 65 characters', { sku: 'A'.repeat(65) }, ['sku: must be 1 to 64 characters of A-Z, 0-9 and -']],
      ['an empty name', { name: '' }, ['name: Too small: expected string to have >=1 characters']],
      [
        'a name of 201 characters',
        { name: 'n'.repeat(201) },
        ['name: Too big: expected string to have <=200 characters'],
      ],
      ['a negative priceCents', { priceCents: -1 }, ['priceCents: Too small: expected number to be >=0']],
      ['a fractional priceCents', { priceCents: 9.99 }, ['priceCents: Invalid input: expected int, received number']],
      [
        'priceCents as a string',
        { priceCents: '100' },
        ['priceCents: Invalid input: expected number, received string'],
      ],
      [
        'priceCents above 2147483647',
        { priceCents: 2_147_483_648 },
        ['priceCents: Too big: expected number to be <=2147483647'],
      ],
      ['a negative stock', { stock: -1 }, ['stock: Too small: expected number to be >=0']],
      ['stock null', { stock: null }, ['stock: Invalid input: expected number, received null']],
      ['a name with a NUL character', { name: 'Mug\u0000' }, ['name: must not contain the NUL character (U+0000)']],
      ['an unknown field', { colour: 'blue' }, ['body: Unrecognized key: "colour"']],
      ['an id', { id: randomUUID() }, ['body: Unrecognized key: "id"']],
    ])('answers 400 VALIDATION_FAILED for %s, and creates nothing', async (_case, override, message) => {
      const sku = `${newTag()}-BAD`;
      const body: Record<string, unknown> = { sku, name: 'Invalid', priceCents: 100, stock: 1 };
      for (const [field, value] of Object.entries(override)) {
        if (value === undefined) delete body[field];
        else body[field] = value;
      }

      const response = await create(body);

      expectError(response, 400, 'VALIDATION_FAILED', message);
      expect(await count(sku)).toBe(0);
    });

    it('answers 400 MALFORMED_JSON for a body that is not JSON', async () => {
      const response = await catalog
        .http()
        .post('/api/products')
        .set(bearer(admin))
        .set('content-type', 'application/json')
        .send('{"sku": "X",');

      expectError(response, 400, 'MALFORMED_JSON');
    });

    it('answers 413 PAYLOAD_TOO_LARGE for a body over 100 KiB', async () => {
      const response = await create({ sku: 'BIG', name: 'x'.repeat(110 * 1024), priceCents: 1 });

      expectError(response, 413, 'PAYLOAD_TOO_LARGE');
    });
  });
});

describe.each(['sqlite', 'postgres'] as const)('POST /api/products, concurrently with one SKU (%s)', (database) => {
  let catalog: CatalogHarness;
  beforeAll(async () => {
    catalog = await CatalogHarness.start({ database });
  });
  afterAll(() => catalog.close());

  it('creates one product and answers 409 PRODUCT_SKU_TAKEN to the others; one event', async () => {
    const sku = `${newTag()}-RACE`;
    const admin = tokenFor('admin');

    const responses = await Promise.all(
      Array.from({ length: 10 }, (_, index) =>
        catalog
          .http()
          .post('/api/products')
          .set(bearer(admin))
          .send({ sku, name: `Racer ${index}`, priceCents: index }),
      ),
    );

    const created = responses.filter((response) => response.status === 201);
    expect(created).toHaveLength(1);
    for (const response of responses.filter((found) => found.status !== 201)) {
      expectError(response, 409, 'PRODUCT_SKU_TAKEN', `A product with the SKU ${sku} already exists.`);
    }
    expect((await catalog.http().get('/api/products').query({ q: sku })).body.items).toEqual([created[0]!.body]);
    const events = await eventually(
      () => readEvents(catalog.redisPrefix, 'product.created'),
      (found) => found.some((event) => event.data.sku === sku),
    );
    expect(events.filter((event) => event.data.sku === sku)).toHaveLength(1);
  });
});

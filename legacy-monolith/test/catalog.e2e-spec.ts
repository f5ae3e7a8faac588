import { randomBytes, randomUUID } from 'node:crypto';
import {
  ProductBody,
  STOCK_ADJUSTMENT_KEYS,
  expectError,
  expectJson,
  expectPageShape,
  expectProductShape,
} from './support/api-expectations';
import { LegacyHarness, bearer } from './support/legacy-harness';

/** An upper-case tag that makes this test's SKUs and names unique in the shared catalog. */
const newTag = () => `T${randomBytes(4).toString('hex').toUpperCase()}`;
const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/** The order of JavaScript's default sort: UTF-16 code units, the same as bytes for ASCII. */
const binarySorted = (values: readonly string[]) => [...values].sort();

describe('catalog: products and stock', () => {
  let legacy: LegacyHarness;
  let admin: string;

  beforeAll(async () => {
    legacy = await LegacyHarness.start();
    admin = await legacy.adminToken();
  });
  afterAll(() => legacy.close());

  const list = (query: Record<string, string | number>) => legacy.http().get('/api/products').query(query);
  const create = (body: Record<string, unknown>) => legacy.http().post('/api/products').set(bearer(admin)).send(body);
  const adjust = (productId: string, body: Record<string, unknown>) =>
    legacy.http().post(`/api/products/${productId}/stock-adjustments`).set(bearer(admin)).send(body);

  describe('POST /api/products (admin)', () => {
    it('answers 201 with the Product', async () => {
      const sku = `${newTag()}-MUG-01`;
      const before = Date.now();

      const response = await create({ sku, name: 'Blue mug', priceCents: 1_250, stock: 7 });

      expect(response.status).toBe(201);
      expectJson(response);
      expectProductShape(response.body);
      expect(response.body).toEqual({
        id: expect.any(String),
        sku,
        name: 'Blue mug',
        priceCents: 1_250,
        stock: 7,
        createdAt: expect.any(String),
        updatedAt: expect.any(String),
      });
      expect(Date.parse(response.body.createdAt)).toBeGreaterThanOrEqual(before - 1);
      expect(Date.parse(response.body.createdAt)).toBeLessThanOrEqual(Date.now() + 1);
      expect(Date.parse(response.body.updatedAt)).toBeGreaterThanOrEqual(Date.parse(response.body.createdAt));
    });

    it('stores the product: GET /api/products/{id} answers the same Product', async () => {
      const created = await create({ sku: `${newTag()}-STORED`, name: 'Stored', priceCents: 99, stock: 3 });

      const read = await legacy.http().get(`/api/products/${created.body.id}`);

      expect(read.status).toBe(200);
      expect(read.body).toEqual(created.body);
    });

    it('gives stock 0 when the body has none', async () => {
      const response = await create({ sku: `${newTag()}-NOSTOCK`, name: 'No stock given', priceCents: 500 });

      expect(response.status).toBe(201);
      expectProductShape(response.body);
      expect(response.body.stock).toBe(0);
      expect(await legacy.stock(response.body.id)).toBe(0);
    });

    it.each([
      // The only one-character SKU of this file's database.
      ['a SKU of 1 character', () => ({ sku: '7' })],
      ['a SKU of 64 characters', () => ({ sku: `${newTag()}-`.padEnd(64, '9') })],
      ['a SKU of digits and dashes only', () => ({ sku: `${randomBytes(6).readUIntBE(0, 6)}-0-1` })],
      ['a name of 1 character', () => ({ name: 'x' })],
      ['a name of 200 characters', () => ({ name: 'n'.repeat(200) })],
      ['a name with non-ASCII characters', () => ({ name: 'Tasse à café, 咖啡杯' })],
      // Lengths count characters (code points), as the published JSON Schema maxLength does.
      ['a name of 200 characters outside the BMP', () => ({ name: '\u{1F375}'.repeat(200) })],
      ['priceCents 0', () => ({ priceCents: 0 })],
      ['priceCents 2147483647 (the documented maximum)', () => ({ priceCents: 2_147_483_647 })],
      ['stock 0', () => ({ stock: 0 })],
      ['stock 2147483647 (the documented maximum)', () => ({ stock: 2_147_483_647 })],
    ])('accepts %s', async (_case, override) => {
      const body = { sku: `${newTag()}-OK`, name: 'Valid', priceCents: 100, stock: 1, ...override() };

      const response = await create(body);

      expect(response.status).toBe(201);
      expectProductShape(response.body);
      expect(response.body).toMatchObject(body);
    });

    it.each([
      ['no sku', { sku: undefined }],
      ['an empty sku', { sku: '' }],
      ['a lower-case sku', { sku: 'mug-001' }],
      ['a sku with a space', { sku: 'MUG 001' }],
      ['a sku with an underscore', { sku: 'MUG_001' }],
      ['a sku with a non-ASCII letter', { sku: 'CAFÉ-1' }],
      ['a sku of 65 characters', { sku: 'A'.repeat(65) }],
      ['a sku that is a number', { sku: 1001 }],
      ['no name', { name: undefined }],
      ['an empty name', { name: '' }],
      ['a name of 201 characters', { name: 'n'.repeat(201) }],
      ['a name that is a number', { name: 5 }],
      ['no priceCents', { priceCents: undefined }],
      ['a negative priceCents', { priceCents: -1 }],
      ['a fractional priceCents', { priceCents: 9.99 }],
      ['priceCents as a string', { priceCents: '100' }],
      ['priceCents null', { priceCents: null }],
      ['priceCents above 2147483647', { priceCents: 2_147_483_648 }],
      ['a negative stock', { stock: -1 }],
      ['a fractional stock', { stock: 1.5 }],
      ['stock as a string', { stock: '5' }],
      ['stock null', { stock: null }],
      ['a name with a NUL character', { name: 'Mug\u0000' }],
      ['an unknown field', { colour: 'blue' }],
      ['an id', { id: randomUUID() }],
      ['a createdAt', { createdAt: new Date().toISOString() }],
    ])('answers 400 VALIDATION_FAILED for %s, and creates nothing', async (_case, override) => {
      const sku = `${newTag()}-BAD`;
      const body: Record<string, unknown> = { sku, name: 'Invalid', priceCents: 100, stock: 1 };
      for (const [field, value] of Object.entries(override)) {
        if (value === undefined) delete body[field];
        else body[field] = value;
      }

      const response = await create(body);

      expectError(response, 400, 'VALIDATION_FAILED');
      expect((await list({ q: sku })).body.total).toBe(0);
    });

    it('answers 409 PRODUCT_SKU_TAKEN for a SKU in use, and keeps the first product as it was', async () => {
      const sku = `${newTag()}-TAKEN`;
      const first = await create({ sku, name: 'First', priceCents: 100, stock: 1 });

      const response = await create({ sku, name: 'Second', priceCents: 200, stock: 2 });

      expectError(response, 409, 'PRODUCT_SKU_TAKEN');
      const page = await list({ q: sku });
      expect(page.body.items).toEqual([first.body]);
      expect(page.body.total).toBe(1);
    });
  });

  describe('GET /api/products/{id} (anyone)', () => {
    it('answers 200 with the Product, without a token', async () => {
      const product = await legacy.createProduct({ sku: `${newTag()}-GET`, name: 'Readable', priceCents: 321 });

      const response = await legacy.http().get(`/api/products/${product.id}`);

      expect(response.status).toBe(200);
      expectJson(response);
      expectProductShape(response.body);
      expect(response.body).toEqual(product);
    });

    it('answers 200 with the Product to a customer token', async () => {
      const product = await legacy.createProduct();
      const customer = await legacy.registerCustomer();

      const response = await legacy.http().get(`/api/products/${product.id}`).set(bearer(customer.token));

      expect(response.status).toBe(200);
      expect(response.body).toEqual(product);
    });

    it('answers 404 PRODUCT_NOT_FOUND for an id no product has', async () => {
      expectError(await legacy.http().get(`/api/products/${randomUUID()}`), 404, 'PRODUCT_NOT_FOUND');
    });
  });

  describe('GET /api/products?limit&offset&q (anyone)', () => {
    it('answers a page { items, total, limit, offset } of Products, limit 20 and offset 0 by default, without a token', async () => {
      await legacy.createProduct();

      const response = await legacy.http().get('/api/products');

      expect(response.status).toBe(200);
      expectJson(response);
      expectPageShape(response.body, { limit: 20, offset: 0 }, expectProductShape);
      expect(response.body.total).toBeGreaterThan(0);
    });

    it('gives at most 20 products by default, and counts them all in total', async () => {
      const tag = newTag();
      for (let index = 0; index < 21; index++) {
        await legacy.createProduct({ sku: `${tag}-${String(index).padStart(2, '0')}`, name: `Default page ${index}` });
      }

      const response = await list({ q: tag });

      expect(response.status).toBe(200);
      expectPageShape(response.body, { limit: 20, offset: 0 }, expectProductShape);
      expect(response.body.items).toHaveLength(20);
      expect(response.body.total).toBe(21);
    });

    it('orders products by sku ascending, byte by byte ("-" before digits before letters)', async () => {
      const tag = newTag();
      const skus = ['Z', '10', '-9', '9', 'A', '-A', '0', '1-0', '1', 'A-', 'AA'].map((suffix) => `${tag}${suffix}`);
      for (const sku of skus) await legacy.createProduct({ sku, name: `Ordering ${sku}` });

      const response = await list({ q: tag, limit: 100 });

      expect(response.status).toBe(200);
      expect(response.body.total).toBe(skus.length);
      expect((response.body.items as ProductBody[]).map((product) => product.sku)).toEqual(binarySorted(skus));
      expect(binarySorted(skus).map((sku) => sku.slice(tag.length))).toEqual([
        '-9',
        '-A',
        '0',
        '1',
        '1-0',
        '10',
        '9',
        'A',
        'A-',
        'AA',
        'Z',
      ]);
    });

    it('orders the whole catalog by sku too', async () => {
      await legacy.createProduct({ sku: `${newTag()}-1` });
      await legacy.createProduct({ sku: `${newTag()}-2` });

      const response = await list({ limit: 100 });

      const skus = (response.body.items as ProductBody[]).map((product) => product.sku);
      expect(skus).toEqual(binarySorted(skus));
    });

    it('pages with limit and offset over the same order', async () => {
      const tag = newTag();
      const skus = ['E', 'B', 'D', 'A', 'C'].map((suffix) => `${tag}-${suffix}`);
      for (const sku of skus) await legacy.createProduct({ sku });
      const sorted = binarySorted(skus);

      const pages = await Promise.all([
        list({ q: tag, limit: 2, offset: 0 }),
        list({ q: tag, limit: 2, offset: 2 }),
        list({ q: tag, limit: 2, offset: 4 }),
        list({ q: tag, limit: 2, offset: 5 }),
        list({ q: tag, limit: 1, offset: 1_000_000 }),
      ]);

      const seen = pages.map((page) => (page.body.items as ProductBody[]).map((product) => product.sku));
      expect(seen).toEqual([sorted.slice(0, 2), sorted.slice(2, 4), sorted.slice(4), [], []]);
      expect(pages.map((page) => [page.body.total, page.body.limit, page.body.offset])).toEqual([
        [5, 2, 0],
        [5, 2, 2],
        [5, 2, 4],
        [5, 2, 5],
        [5, 1, 1_000_000],
      ]);
      pages.forEach((page) => expect(Object.keys(page.body)).toEqual(['items', 'total', 'limit', 'offset']));
    });

    it.each([
      ['limit=1', { limit: '1' }, { limit: 1, offset: 0 }],
      ['limit=100', { limit: '100' }, { limit: 100, offset: 0 }],
      ['offset=0', { offset: '0' }, { limit: 20, offset: 0 }],
      ['offset=3', { offset: '3' }, { limit: 20, offset: 3 }],
      ['limit=7&offset=1', { limit: '7', offset: '1' }, { limit: 7, offset: 1 }],
    ])('accepts %s and echoes limit and offset as integers', async (_case, query, expected) => {
      const response = await list(query);

      expect(response.status).toBe(200);
      expectPageShape(response.body, expected, expectProductShape);
    });

    it.each([
      ['limit=0', { limit: '0' }],
      ['limit=101', { limit: '101' }],
      ['limit=-1', { limit: '-1' }],
      ['limit=abc', { limit: 'abc' }],
      ['limit=1.5', { limit: '1.5' }],
      ['offset=-1', { offset: '-1' }],
      ['offset=abc', { offset: 'abc' }],
      ['offset=2.5', { offset: '2.5' }],
      ['a q with a NUL character', { q: 'a\u0000b' }],
    ])('answers 400 VALIDATION_FAILED for %s', async (_case, query) => {
      expectError(await list(query), 400, 'VALIDATION_FAILED');
    });

    describe('q: a case-insensitive substring of the name or the sku', () => {
      let tag: string;
      let teapot: ProductBody;
      let mug: ProductBody;

      beforeAll(async () => {
        tag = newTag();
        teapot = (await create({ sku: `${tag}-TEA-01`, name: `Forest Green Teapot ${tag}`, priceCents: 1 })).body;
        mug = (await create({ sku: `${tag}-MUG-02`, name: `Ocean Blue Mug ${tag}`, priceCents: 1 })).body;
      });

      it.each([
        ['the exact name', () => `Ocean Blue Mug ${tag}`, () => [mug]],
        ['part of a name, in another case', () => `BLUE mug ${tag.toLowerCase()}`, () => [mug]],
        ['part of a name, lower-case', () => `green teapot ${tag.toLowerCase()}`, () => [teapot]],
        ['part of a sku, lower-case', () => `${tag.toLowerCase()}-tea`, () => [teapot]],
        ['part of a sku, upper-case', () => `${tag}-MUG-0`, () => [mug]],
        ['the middle of a sku', () => `${tag.slice(2)}-MUG`, () => [mug]],
        ['what both have, ordered by sku', () => tag.toLowerCase(), () => [mug, teapot]],
        ['nothing', () => `${tag}-NOTHING`, () => []],
      ])('matches %s', async (_case, q, expected) => {
        const response = await list({ q: q(), limit: 100 });

        expect(response.status).toBe(200);
        expectPageShape(response.body, { limit: 100, offset: 0 }, expectProductShape);
        expect(response.body.items).toEqual(expected());
        expect(response.body.total).toBe(expected().length);
      });

      it('pages the matches: total counts every match, not the page', async () => {
        const response = await list({ q: tag, limit: 1, offset: 1 });

        expect(response.body).toEqual({ items: [teapot], total: 2, limit: 1, offset: 1 });
      });
    });

    it.each([
      ['%', '100% cotton', '100x cotton', '100%'],
      ['_', 'a_b size', 'axb size', 'a_b'],
      ['\\', 'back\\slash', 'backslash', 'back\\'],
      ['%%', '50%% off', '50ab off', '50%%'],
    ])('takes %s in q literally', async (_special, literalName, decoyName, q) => {
      const tag = newTag();
      const literal = await legacy.createProduct({ sku: `${tag}-1`, name: `${tag} ${literalName}` });
      await legacy.createProduct({ sku: `${tag}-2`, name: `${tag} ${decoyName}` });

      const response = await list({ q: `${tag.toLowerCase()} ${q}` });

      expect(response.status).toBe(200);
      expect(response.body.items).toEqual([literal]);
      expect(response.body.total).toBe(1);
    });

    it('does not take % alone as "everything"', async () => {
      const tag = newTag();
      const percent = await legacy.createProduct({ sku: `${tag}-PCT`, name: `Discount 15% ${tag}` });
      await legacy.createProduct({ sku: `${tag}-NOPCT`, name: `No discount ${tag}` });

      const response = await list({ q: '%', limit: 100 });

      const ids = (response.body.items as ProductBody[]).map((product) => product.id);
      expect(ids).toContain(percent.id);
      for (const product of response.body.items as ProductBody[]) expect(product.name).toContain('%');
    });

    it('matches names case-insensitively beyond ASCII: an upper-case "CRÈME BRÛLÉE" is found by "crème brûlée"', async () => {
      const tag = newTag();
      const dessert = await legacy.createProduct({ sku: `${tag}-CB`, name: `CRÈME BRÛLÉE ${tag}` });

      const response = await list({ q: `crème brûlée ${tag}` });

      expect(response.status).toBe(200);
      expect(response.body.items).toEqual([dessert]);
    });

    it('accepts a q of 200 characters and answers 400 VALIDATION_FAILED for 201 (the documented limit)', async () => {
      expect((await list({ q: 'q'.repeat(200) })).status).toBe(200);
      expectError(await list({ q: 'q'.repeat(201) }), 400, 'VALIDATION_FAILED');
    });
  });

  describe('POST /api/products/{id}/stock-adjustments (admin)', () => {
    it('answers 201 { productId, delta, stock } and changes the stock', async () => {
      const product = await legacy.createProduct({ stock: 10 });

      const added = await adjust(product.id, { delta: 5, reason: 'delivery' });
      const taken = await adjust(product.id, { delta: -12, reason: 'breakage' });

      expect(added.status).toBe(201);
      expectJson(added);
      expect(Object.keys(added.body)).toEqual(STOCK_ADJUSTMENT_KEYS);
      expect(added.body).toEqual({ productId: product.id, delta: 5, stock: 15 });
      expect(taken.status).toBe(201);
      expect(taken.body).toEqual({ productId: product.id, delta: -12, stock: 3 });
      expect(await legacy.stock(product.id)).toBe(3);
    });

    it('may take the stock to exactly 0', async () => {
      const product = await legacy.createProduct({ stock: 4 });

      const response = await adjust(product.id, { delta: -4, reason: 'write-off' });

      expect(response.status).toBe(201);
      expect(response.body).toEqual({ productId: product.id, delta: -4, stock: 0 });
      expect(await legacy.stock(product.id)).toBe(0);
    });

    it("moves the product's updatedAt (the documented choice), not its createdAt", async () => {
      const product = await legacy.product((await legacy.createProduct({ stock: 1 })).id);
      await sleep(5);

      await adjust(product.id, { delta: 1, reason: 'recount' });

      const read = await legacy.product(product.id);
      expect(read.createdAt).toBe(product.createdAt);
      expect(Date.parse(read.updatedAt)).toBeGreaterThan(Date.parse(product.updatedAt));
    });

    it.each([
      ['delta 1000000', 0, 1_000_000, 'x'],
      ['delta -1000000', 1_000_000, -1_000_000, 'x'],
      ['a reason of 1 character', 0, 1, 'r'],
      ['a reason of 200 characters', 0, 1, 'r'.repeat(200)],
    ])('accepts %s', async (_case, stock, delta, reason) => {
      const product = await legacy.createProduct({ stock });

      const response = await adjust(product.id, { delta, reason });

      expect(response.status).toBe(201);
      expect(response.body).toEqual({ productId: product.id, delta, stock: stock + delta });
    });

    it.each([
      ['delta 0', { delta: 0 }],
      ['delta 1000001', { delta: 1_000_001 }],
      ['delta -1000001', { delta: -1_000_001 }],
      ['a fractional delta', { delta: 1.5 }],
      ['delta as a string', { delta: '5' }],
      ['delta null', { delta: null }],
      ['no delta', { delta: undefined }],
      ['no reason', { reason: undefined }],
      ['an empty reason', { reason: '' }],
      ['a reason of 201 characters', { reason: 'r'.repeat(201) }],
      ['a reason that is a number', { reason: 7 }],
      ['a reason with a NUL character', { reason: 'count\u0000' }],
      ['an unknown field', { note: 'hi' }],
      ['a stock field', { stock: 99 }],
    ])('answers 400 VALIDATION_FAILED for %s, and the stock does not change', async (_case, override) => {
      const product = await legacy.createProduct({ stock: 20 });
      const body: Record<string, unknown> = { delta: 5, reason: 'count' };
      for (const [field, value] of Object.entries(override)) {
        if (value === undefined) delete body[field];
        else body[field] = value;
      }

      const response = await adjust(product.id, body);

      expectError(response, 400, 'VALIDATION_FAILED');
      expect(await legacy.stock(product.id)).toBe(20);
    });

    it('answers 409 STOCK_NEGATIVE when the stock would go below 0, and nothing changes', async () => {
      const product = await legacy.createProduct({ stock: 5 });
      await sleep(5);

      const response = await adjust(product.id, { delta: -6, reason: 'too many' });

      expectError(response, 409, 'STOCK_NEGATIVE');
      expect(await legacy.product(product.id)).toEqual(product);
    });

    it('answers 409 STOCK_NEGATIVE for a product without stock', async () => {
      const product = await legacy.createProduct({ stock: 0 });

      expectError(await adjust(product.id, { delta: -1, reason: 'none left' }), 409, 'STOCK_NEGATIVE');
      expect(await legacy.product(product.id)).toEqual(product);
    });

    it('answers 404 PRODUCT_NOT_FOUND for an id no product has', async () => {
      expectError(await adjust(randomUUID(), { delta: 1, reason: 'count' }), 404, 'PRODUCT_NOT_FOUND');
    });
  });
});

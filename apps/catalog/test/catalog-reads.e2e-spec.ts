import { randomBytes, randomUUID } from 'node:crypto';
import { type ProductBody, PAGE_KEYS, expectError, expectJson, expectProductShape } from './support/api-expectations';
import { CatalogHarness, bearer, tokenFor } from './support/catalog-harness';
import { type ProductState, asProductBody, newProduct, productCreated } from './support/product-events';

/** An upper-case tag that makes this test's SKUs and names unique in the catalog. */
const newTag = () => `T${randomBytes(4).toString('hex').toUpperCase()}`;

/** The order of JavaScript's default sort: UTF-16 code units, the same as bytes for ASCII. */
const binarySorted = (values: readonly string[]) => [...values].sort();

describe.each(['sqlite', 'postgres'] as const)('GET /api/products and /api/products/{id} (%s)', (database) => {
  let catalog: CatalogHarness;
  beforeAll(async () => {
    catalog = await CatalogHarness.start({ database });
  });
  afterAll(() => catalog.close());

  const list = (query: Record<string, string | number>) => catalog.http().get('/api/products').query(query);

  /** Publishes the products as the monolith would and waits until the catalog shows them all. */
  async function seed(...products: ProductState[]): Promise<ProductBody[]> {
    for (const product of products)
      await catalog.publish('product.created', productCreated('legacy-monolith', product));
    for (const product of products) await catalog.productBecomes(product.productId);
    return products.map((product) => asProductBody(product));
  }

  describe('GET /api/products/{id}', () => {
    it('answers 200 with the Product as the event described it, without a token and to a customer', async () => {
      const [product] = await seed(newProduct({ name: 'Readable', priceCents: 321, stock: 4 }));

      const anonymous = await catalog.http().get(`/api/products/${product!.id}`);
      const customer = await catalog
        .http()
        .get(`/api/products/${product!.id}`)
        .set(bearer(tokenFor('customer')));

      expect(anonymous.status).toBe(200);
      expectJson(anonymous);
      expectProductShape(anonymous.body);
      expect(anonymous.body).toEqual(product);
      expect(customer.status).toBe(200);
      expect(customer.body).toEqual(product);
    });

    it('matches the id case-insensitively', async () => {
      const [product] = await seed(newProduct());

      const response = await catalog.http().get(`/api/products/${product!.id.toUpperCase()}`);

      expect(response.status).toBe(200);
      expect(response.body).toEqual(product);
    });

    it('answers 404 PRODUCT_NOT_FOUND for an id no product has', async () => {
      const id = randomUUID();

      const response = await catalog.http().get(`/api/products/${id}`);

      expectError(response, 404, 'PRODUCT_NOT_FOUND', `No product has the id ${id}.`);
    });

    it.each([['not-a-uuid'], ['123'], ['0b6f2a4e-3f0c-4b8e-9f61-2d1c5e7a9b1'], ['0b6f2a4e3f0c4b8e9f612d1c5e7a9b10']])(
      'answers 400 VALIDATION_FAILED for the id %s',
      async (id) => {
        const response = await catalog.http().get(`/api/products/${id}`);

        expectError(response, 400, 'VALIDATION_FAILED', ['id: must be a UUID']);
      },
    );
  });

  describe('GET /api/products?limit&offset&q', () => {
    it('answers a page { items, total, limit, offset }, limit 20 and offset 0 by default, without a token', async () => {
      const tag = newTag();
      await seed(
        ...Array.from({ length: 21 }, (_, index) =>
          newProduct({ sku: `${tag}-${String(index).padStart(2, '0')}`, name: `Default page ${index}` }),
        ),
      );

      const all = await catalog.http().get('/api/products');
      const tagged = await list({ q: tag });

      expect(all.status).toBe(200);
      expectJson(all);
      expect(Object.keys(all.body)).toEqual(PAGE_KEYS);
      expect(all.body).toMatchObject({ limit: 20, offset: 0 });
      expect(all.body.items).toHaveLength(20);
      (all.body.items as unknown[]).forEach((item) => expectProductShape(item));
      expect(tagged.body.items).toHaveLength(20);
      expect(tagged.body.total).toBe(21);
    });

    it('orders products by sku ascending, byte by byte ("-" before digits before letters)', async () => {
      const tag = newTag();
      const skus = ['Z', '10', '-9', '9', 'A', '-A', '0', '1-0', '1', 'A-', 'AA'].map((suffix) => `${tag}${suffix}`);
      await seed(...skus.map((sku) => newProduct({ sku, name: `Ordering ${sku}` })));

      const response = await list({ q: tag, limit: 100 });

      expect(response.status).toBe(200);
      expect(response.body.total).toBe(skus.length);
      const suffixes = (response.body.items as ProductBody[]).map((product) => product.sku.slice(tag.length));
      expect(suffixes).toEqual(['-9', '-A', '0', '1', '1-0', '10', '9', 'A', 'A-', 'AA', 'Z']);
    });

    it('orders the whole catalog by sku too', async () => {
      await seed(newProduct({ sku: `${newTag()}-1` }), newProduct({ sku: `-${newTag()}` }), newProduct({ sku: '0' }));

      const response = await list({ limit: 100 });

      const skus = (response.body.items as ProductBody[]).map((product) => product.sku);
      expect(skus.length).toBeGreaterThan(3);
      expect(skus).toEqual(binarySorted(skus));
    });

    it('pages with limit and offset over the same order, total counting every match', async () => {
      const tag = newTag();
      const products = await seed(
        ...['E', 'B', 'D', 'A', 'C'].map((suffix) => newProduct({ sku: `${tag}-${suffix}` })),
      );
      const sorted = [...products].sort((a, b) => (a.sku < b.sku ? -1 : 1));

      const pages = await Promise.all([
        list({ q: tag, limit: 2, offset: 0 }),
        list({ q: tag, limit: 2, offset: 2 }),
        list({ q: tag, limit: 2, offset: 4 }),
        list({ q: tag, limit: 2, offset: 5 }),
        list({ q: tag, limit: 1, offset: 1_000_000 }),
      ]);

      expect(pages.map((page) => page.body)).toEqual([
        { items: sorted.slice(0, 2), total: 5, limit: 2, offset: 0 },
        { items: sorted.slice(2, 4), total: 5, limit: 2, offset: 2 },
        { items: sorted.slice(4), total: 5, limit: 2, offset: 4 },
        { items: [], total: 5, limit: 2, offset: 5 },
        { items: [], total: 5, limit: 1, offset: 1_000_000 },
      ]);
      pages.forEach((page) => expect(Object.keys(page.body)).toEqual(PAGE_KEYS));
    });

    it('counts the whole catalog in total, also on a page past its end', async () => {
      await seed(newProduct({ sku: `${newTag()}-PAST` }));

      const [first, past] = await Promise.all([list({ limit: 1 }), list({ limit: 1, offset: 1_000_000 })]);

      expect(first.body.total).toBeGreaterThanOrEqual(1);
      expect(past.body).toEqual({ items: [], total: first.body.total, limit: 1, offset: 1_000_000 });
    });

    it.each([
      ['limit=1', { limit: '1' }, { limit: 1, offset: 0 }],
      ['limit=100', { limit: '100' }, { limit: 100, offset: 0 }],
      ['offset=3', { offset: '3' }, { limit: 20, offset: 3 }],
      ['limit=7&offset=1', { limit: '7', offset: '1' }, { limit: 7, offset: 1 }],
      ['an unknown parameter', { colour: 'blue' }, { limit: 20, offset: 0 }],
    ])('accepts %s and echoes limit and offset as integers', async (_case, query, expected) => {
      const response = await list(query);

      expect(response.status).toBe(200);
      expect(response.body).toMatchObject(expected);
    });

    it.each([
      ['limit=0', { limit: '0' }, ['limit: Too small: expected number to be >=1']],
      ['limit=101', { limit: '101' }, ['limit: Too big: expected number to be <=100']],
      ['limit=-1', { limit: '-1' }, ['limit: Too small: expected number to be >=1']],
      ['limit=abc', { limit: 'abc' }, ['limit: must be an integer']],
      ['limit=1.5', { limit: '1.5' }, ['limit: must be an integer']],
      ['offset=-1', { offset: '-1' }, ['offset: Too small: expected number to be >=0']],
      ['offset=abc', { offset: 'abc' }, ['offset: must be an integer']],
      ['offset=2.5', { offset: '2.5' }, ['offset: must be an integer']],
      ['a q of 201 characters', { q: 'q'.repeat(201) }, ['q: Too big: expected string to have <=200 characters']],
      ['a q with a NUL character', { q: 'a\u0000b' }, ['q: must not contain the NUL character (U+0000)']],
    ])('answers 400 VALIDATION_FAILED for %s', async (_case, query, message) => {
      expectError(await list(query), 400, 'VALIDATION_FAILED', message);
    });

    it('accepts a q of 200 characters', async () => {
      const response = await list({ q: 'q'.repeat(200) });

      expect(response.status).toBe(200);
      expect(response.body).toEqual({ items: [], total: 0, limit: 20, offset: 0 });
    });

    describe('q: a case-insensitive substring of the name or the sku', () => {
      let tag: string;
      let teapot: ProductBody;
      let mug: ProductBody;
      let apples: ProductBody;

      beforeAll(async () => {
        tag = newTag();
        [teapot, mug, apples] = (await seed(
          newProduct({ sku: `${tag}-TEA-01`, name: `Forest Green Teapot ${tag}` }),
          newProduct({ sku: `${tag}-MUG-02`, name: `Ocean Blue Mug ${tag}` }),
          newProduct({ sku: `${tag}-APF-03`, name: `ÄPFEL aus Österreich ${tag}` }),
        )) as [ProductBody, ProductBody, ProductBody];
      });

      it.each([
        ['the exact name', () => `Ocean Blue Mug ${tag}`, () => [mug]],
        ['part of a name, in another case', () => `BLUE mug ${tag.toLowerCase()}`, () => [mug]],
        ['part of a sku, lower-case', () => `${tag.toLowerCase()}-tea`, () => [teapot]],
        ['the middle of a sku', () => `${tag.slice(2)}-MUG`, () => [mug]],
        ['non-ASCII letters in lower case ("äpfel" finds "ÄPFEL")', () => `äpfel aus`, () => [apples]],
        ['non-ASCII letters in upper case ("ÖSTERREICH")', () => `ÖSTERREICH ${tag}`, () => [apples]],
        ['what all have, ordered by sku', () => tag.toLowerCase(), () => [apples, mug, teapot]],
        ['nothing', () => `${tag}-NOTHING`, () => []],
      ])('matches %s', async (_case, q, expected) => {
        const response = await list({ q: q(), limit: 100 });

        expect(response.status).toBe(200);
        expect(response.body).toEqual({ items: expected(), total: expected().length, limit: 100, offset: 0 });
      });

      it('pages the matches', async () => {
        const response = await list({ q: tag, limit: 1, offset: 1 });

        expect(response.body).toEqual({ items: [mug], total: 3, limit: 1, offset: 1 });
      });
    });

    it.each([
      ['%', '100% cotton', '100x cotton', '100%'],
      ['_', 'a_b size', 'axb size', 'a_b'],
      ['\\', 'back\\slash', 'backslash', 'back\\'],
    ])('takes %s in q literally', async (_special, literalName, decoyName, q) => {
      const tag = newTag();
      const [literal] = await seed(
        newProduct({ sku: `${tag}-1`, name: `${tag} ${literalName}` }),
        newProduct({ sku: `${tag}-2`, name: `${tag} ${decoyName}` }),
      );

      const response = await list({ q: `${tag.toLowerCase()} ${q}` });

      expect(response.status).toBe(200);
      expect(response.body).toEqual({ items: [literal], total: 1, limit: 20, offset: 0 });
    });

    it('does not take % alone as "everything"', async () => {
      const tag = newTag();
      const [percent] = await seed(
        newProduct({ sku: `${tag}-PCT`, name: `Discount 15% ${tag}` }),
        newProduct({ sku: `${tag}-NOPCT`, name: `No discount ${tag}` }),
      );

      const response = await list({ q: '%', limit: 100 });

      const items = response.body.items as ProductBody[];
      expect(items.map((product) => product.id)).toContain(percent!.id);
      for (const product of items) expect(product.name).toContain('%');
    });
  });

  it('answers 404 ROUTE_NOT_FOUND for a route it does not serve', async () => {
    const response = await catalog.http().get('/api/orders');

    expectError(response, 404, 'ROUTE_NOT_FOUND');
  });
});

import { toPage } from '@app/api-conventions';
import { toProductView } from '@app/shop-api';
import { productJson, productPageJson } from './product-json';

const product = (sku: string, name: string) => ({
  id: '0b6f2a4e-3f0c-4b8e-9f61-2d1c5e7a9b10',
  sku,
  name,
  priceCents: 990,
  stock: 3,
  createdAt: new Date('2026-11-30T08:00:00.000Z'),
  updatedAt: new Date('2026-12-01T09:15:30.250Z'),
});

describe('productJson', () => {
  it('is the Product view as JSON: the fields of docs/api.md in order, timestamps in ISO form', () => {
    expect(productJson(product('MUG-1', 'Mug "blue" \u2028 ✓'))).toBe(
      '{"id":"0b6f2a4e-3f0c-4b8e-9f61-2d1c5e7a9b10","sku":"MUG-1","name":"Mug \\"blue\\" \u2028 ✓",' +
        '"priceCents":990,"stock":3,"createdAt":"2026-11-30T08:00:00.000Z","updatedAt":"2026-12-01T09:15:30.250Z"}',
    );
  });
});

describe('productPageJson', () => {
  it.each([
    ['no items', [], 0, { limit: 20, offset: 0 }],
    ['one item', [product('A-1', 'Lamp')], 7, { limit: 1, offset: 3 }],
    ['several items', [product('A-1', 'Lamp'), product('B-2', 'Mug, {red}')], 2, { limit: 100, offset: 0 }],
  ])('with %s, is byte for byte what a page of the views serialises to', (_case, items, total, query) => {
    const body = productPageJson(items.map(productJson), total, query);

    expect(body).toBe(JSON.stringify(toPage(items.map(toProductView), total, query)));
  });
});

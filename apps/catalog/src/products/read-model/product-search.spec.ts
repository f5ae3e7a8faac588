import { productSearch } from './product-search';

describe('productSearch', () => {
  it.each([undefined, ''])('is no search for q = %p', (q) => {
    expect(productSearch(q)).toBeUndefined();
  });

  it.each([
    ['a word', 'Mug', { name: 'mug', sku: 'MUG' }],
    ['a SKU part, any case', 'mUg-00', { name: 'mug-00', sku: 'MUG-00' }],
    ['digits', '0042', { name: '0042', sku: '0042' }],
    ['a space (never in a SKU)', 'blue mug', { name: 'blue mug', sku: null }],
    ['non-ASCII letters', 'ÄPFEL', { name: 'äpfel', sku: null }],
    ['LIKE wildcards, literal', '100%_', { name: '100%_', sku: null }],
    ['the Kelvin sign, which folds to an ASCII k', '\u212A', { name: 'k', sku: 'K' }],
  ])('folds %s: names by foldForSearch, SKUs upper-case', (_case, q, expected) => {
    expect(productSearch(q)).toEqual(expected);
  });
});

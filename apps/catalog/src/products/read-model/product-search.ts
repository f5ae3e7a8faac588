import { foldForSearch } from '@app/shop-api';
import type { ProductSearch } from './product-reads';

const SKU_TEXT = /^[a-z0-9-]+$/;

/** What `?q=` searches for (see {@link ProductSearch}); `undefined` when there is no search. */
export function productSearch(q: string | undefined): ProductSearch | undefined {
  if (q === undefined || q === '') return undefined;
  const name = foldForSearch(q);
  return { name, sku: SKU_TEXT.test(name) ? name.toUpperCase() : null };
}

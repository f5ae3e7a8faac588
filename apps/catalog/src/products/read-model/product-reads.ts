import type { ListProductsParams } from '@app/shop-api';

/** What a search for `q` compares: the folded text of names, and the text SKUs are matched with. */
export interface ProductSearch {
  /** `q` folded with `foldForSearch`, matched as a substring of the stored folded name. */
  readonly name: string;
  /**
   * `q` as a substring of a SKU (`A-Z`, `0-9`, `-`, so `LOWER(sku)` contains the folded `q`
   * exactly when `sku` contains it upper-cased), or `null` when `q` has other characters and
   * cannot be part of any SKU.
   */
  readonly sku: string | null;
}

/** The stored bodies of a page's products and the number of products matching. */
export interface ProductRows {
  readonly items: readonly string[];
  readonly total: number;
}

/**
 * The catalog's read path: the queries of the two read routes, each answered with the stored
 * JSON bodies of the products (see `productJson`), one statement per read where the database
 * allows it. One implementation per database; the module picks it from the data source.
 */
export abstract class ProductReads {
  /** The stored body of the product with this (lower-case) id, if there is one. */
  abstract byId(productId: string): Promise<string | undefined>;

  /** A page by SKU ascending (binary order), of the products matching `search` if given. */
  abstract page(params: ListProductsParams, search: ProductSearch | undefined): Promise<ProductRows>;
}

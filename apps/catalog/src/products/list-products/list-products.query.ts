import { Query } from '@nestjs/cqrs';
import { type ListProductsParams } from '@app/shop-api';

/** Answers the page's body (a `ProductPage` as JSON text, see `productPageJson`). */
export class ListProductsQuery extends Query<string> {
  constructor(readonly params: ListProductsParams) {
    super();
  }
}

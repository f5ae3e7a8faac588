import { Query } from '@nestjs/cqrs';
import type { Page } from '@app/api-conventions';
import type { ProductView } from '../product.view';
import type { ListProductsParams } from './list-products.schema';

export class ListProductsQuery extends Query<Page<ProductView>> {
  constructor(readonly params: ListProductsParams) {
    super();
  }
}

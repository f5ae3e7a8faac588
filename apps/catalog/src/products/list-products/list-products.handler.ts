import { IQueryHandler, QueryHandler } from '@nestjs/cqrs';
import { productPageJson } from '../read-model/product-json';
import { ProductReads } from '../read-model/product-reads';
import { productSearch } from '../read-model/product-search';
import { ListProductsQuery } from './list-products.query';

/** A page of the read model, by SKU (binary order), optionally searching names and SKUs: as the monolith. */
@QueryHandler(ListProductsQuery)
export class ListProductsHandler implements IQueryHandler<ListProductsQuery> {
  constructor(private readonly reads: ProductReads) {}

  async execute({ params }: ListProductsQuery): Promise<string> {
    const { items, total } = await this.reads.page(params, productSearch(params.q));
    return productPageJson(items, total, params);
  }
}

import { IQueryHandler, QueryHandler } from '@nestjs/cqrs';
import { Page, toPage } from '@app/api-conventions';
import { UnitOfWork } from '@app/database';
import { ProductView, containsPattern, foldForSearch, toProductView } from '@app/shop-api';
import { ProductEntity } from '../product.entity';
import { ListProductsQuery } from './list-products.query';

/** A page of the read model, by SKU (binary order), optionally searching names and SKUs: as the monolith. */
@QueryHandler(ListProductsQuery)
export class ListProductsHandler implements IQueryHandler<ListProductsQuery> {
  constructor(private readonly uow: UnitOfWork) {}

  async execute({ params }: ListProductsQuery): Promise<Page<ProductView>> {
    const [products, total] = await this.uow.read((manager) => {
      const query = manager.createQueryBuilder(ProductEntity, 'product');
      if (params.q !== undefined && params.q !== '') {
        // SKUs are A-Z, 0-9 and '-', so LOWER() is exact for them; names are folded by the app when stored.
        query.where("(product.nameFolded LIKE :pattern ESCAPE '\\' OR LOWER(product.sku) LIKE :pattern ESCAPE '\\')", {
          pattern: containsPattern(foldForSearch(params.q)),
        });
      }
      return query.orderBy('product.sku', 'ASC').offset(params.offset).limit(params.limit).getManyAndCount();
    });
    return toPage(products.map(toProductView), total, params);
  }
}

import { Command } from '@nestjs/cqrs';
import { type CreateProductBody, type ProductView } from '@app/shop-api';

export class CreateProductCommand extends Command<ProductView> {
  constructor(readonly product: CreateProductBody) {
    super();
  }
}

import { Command } from '@nestjs/cqrs';
import type { ProductView } from '../product.view';
import type { CreateProductBody } from './create-product.schema';

export class CreateProductCommand extends Command<ProductView> {
  constructor(readonly product: CreateProductBody) {
    super();
  }
}

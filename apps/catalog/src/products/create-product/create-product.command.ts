import { Command } from '@nestjs/cqrs';
import { type CreateProductBody } from '@app/shop-api';

/** Answers the new product's body (a `Product` as JSON text, the one the read model stores). */
export class CreateProductCommand extends Command<string> {
  constructor(readonly product: CreateProductBody) {
    super();
  }
}

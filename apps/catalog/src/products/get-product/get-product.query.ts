import { Query } from '@nestjs/cqrs';

/** Answers the product's body (a `Product` as JSON text, see `productJson`). */
export class GetProductQuery extends Query<string> {
  constructor(readonly productId: string) {
    super();
  }
}

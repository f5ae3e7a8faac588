import { DomainError, defineErrorCatalog } from '@app/service-defaults';

export const ORDERS_ERRORS = defineErrorCatalog({
  ORDER_NOT_FOUND: { status: 404, description: "No order has this id, or it is another customer's." },
  ORDER_NOT_CANCELLABLE: { status: 409, description: 'Only APPROVED orders can be cancelled.' },
});

export class OrderNotFoundError extends DomainError {
  constructor(id: string) {
    super('ORDER_NOT_FOUND', `No order has the id ${id}.`);
  }
}

export class OrderNotCancellableError extends DomainError {
  constructor(id: string, status: string) {
    super('ORDER_NOT_CANCELLABLE', `Order ${id} is ${status}; only APPROVED orders can be cancelled.`);
  }
}

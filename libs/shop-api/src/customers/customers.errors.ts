import { DomainError, defineErrorCatalog } from '@app/service-defaults';

export const CUSTOMERS_ERRORS = defineErrorCatalog({
  CUSTOMER_EMAIL_TAKEN: {
    status: 409,
    description: 'A customer (or the admin account) already has this email, compared case-insensitively.',
  },
  INVALID_CREDENTIALS: { status: 401, description: 'The email and password do not match an account.' },
  CUSTOMER_NOT_FOUND: { status: 404, description: 'No customer has this id.' },
});

export class CustomerEmailTakenError extends DomainError {
  constructor() {
    super('CUSTOMER_EMAIL_TAKEN', 'An account with this email already exists.');
  }
}

export class InvalidCredentialsError extends DomainError {
  constructor() {
    super('INVALID_CREDENTIALS', 'The email or password is wrong.');
  }
}

export class CustomerNotFoundError extends DomainError {
  constructor(id: string) {
    super('CUSTOMER_NOT_FOUND', `No customer has the id ${id}.`);
  }
}

import { DomainError, defineErrorCatalog } from '@app/service-defaults';

export const AUTH_ERRORS = defineErrorCatalog({
  UNAUTHENTICATED: {
    status: 401,
    description:
      'The route needs a bearer token and the request has none, or it is malformed, expired or badly signed.',
  },
  FORBIDDEN: { status: 403, description: 'The token is valid but its holder may not do this.' },
});

export class UnauthenticatedError extends DomainError {
  constructor(message = 'A valid bearer token is required.') {
    super('UNAUTHENTICATED', message);
  }
}

export class ForbiddenError extends DomainError {
  constructor(message = 'This token does not allow this action.') {
    super('FORBIDDEN', message);
  }
}

import { DomainError, defineErrorCatalog } from '@app/service-defaults';

export const IDEMPOTENCY_ERRORS = defineErrorCatalog({
  IDEMPOTENCY_KEY_REUSED: {
    status: 422,
    description: 'The Idempotency-Key was used before by the same caller for a different request (body or target).',
  },
});

export class IdempotencyKeyReusedError extends DomainError {
  constructor() {
    super('IDEMPOTENCY_KEY_REUSED', 'This Idempotency-Key was already used for a different request.');
  }
}

import { DomainError, defineErrorCatalog } from '@app/service-defaults';

export const SAGAS_ERRORS = defineErrorCatalog({
  SAGA_NOT_FOUND: { status: 404, description: 'No saga instance has this id.' },
  SAGA_NOT_RETRYABLE: {
    status: 409,
    description: 'Only an instance whose compensation stopped (COMPENSATION_FAILED) is retried.',
  },
  SAGA_UNKNOWN: { status: 500, description: 'The saga is not one the runner was given (a wiring bug).' },
});

export type SagaErrorCode = keyof typeof SAGAS_ERRORS;

/** The sagas library's errors, with their stable codes. */
export class SagaError extends DomainError {
  constructor(code: SagaErrorCode, message: string) {
    super(code, message);
  }
}

import { DomainError } from './domain-error';

/** Input that does not fit its schema; `message` lists every problem found. */
export class ValidationFailedError extends DomainError {
  constructor(messages: string | readonly string[]) {
    super('VALIDATION_FAILED', messages);
  }
}

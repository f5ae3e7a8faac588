import { DomainError, defineErrorCatalog } from '@app/service-defaults';

/**
 * The codes of read-your-writes across sides that a route may answer with. Give them to
 * `ServiceDefaultsModule.forRoot({ errorCatalogs })`: a code missing from an app's catalogue is a 500.
 */
export const CONSISTENCY_ERRORS = defineErrorCatalog({
  CONSISTENCY_POSITIONS_INVALID: {
    status: 400,
    description:
      'The x-ficus-await header (sent by the facade) is malformed or lists more than 500 positions; nothing was done.',
  },
  CONSISTENCY_NOT_APPLIED: {
    status: 503,
    description:
      "A saga's command names writes (x-ficus-await) this side has not applied within CONSISTENCY_WAIT_MS; nothing was done, the saga tries again.",
  },
});

export type ConsistencyErrorCode = keyof typeof CONSISTENCY_ERRORS;

/** An error of read-your-writes across sides, with a stable code. */
export class ConsistencyError extends DomainError {
  constructor(code: ConsistencyErrorCode, message: string) {
    super(code, message);
  }
}

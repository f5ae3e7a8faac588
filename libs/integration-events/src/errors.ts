import { DomainError, defineErrorCatalog } from '@app/service-defaults';

/** Every error code of the CQRS bridge. */
export const INTEGRATION_EVENTS_ERRORS = defineErrorCatalog({
  INTEGRATION_EVENT_NOT_MARKED: {
    status: 500,
    description: 'A class given as an integration event is not one made by `integrationEventClass(definition)`.',
  },
  INTEGRATION_EVENT_UNKNOWN_PATTERN: {
    status: 500,
    description:
      'An event class was derived from a definition whose pattern `INTEGRATION_EVENTS` of `@app/contracts` lacks.',
  },
  INTEGRATION_EVENT_INVALID: {
    status: 500,
    description: 'An event recorded by this service does not match its contract; the transaction is rolled back.',
  },
  INTEGRATION_EVENT_HANDLER_MISSING: {
    status: 500,
    description: 'A handler is declared for an event the module was not told to consume (`consumes`).',
  },
});

export type IntegrationEventsErrorCode = keyof typeof INTEGRATION_EVENTS_ERRORS;

/** An error of the bridge between `@nestjs/cqrs` and the transport, with a stable code. */
export class IntegrationEventsError extends DomainError {
  constructor(code: IntegrationEventsErrorCode, message: string) {
    super(code, message);
  }
}

import { DomainError, defineErrorCatalog } from '@app/service-defaults';

/** Every error code of the outbox and inbox. Statuses apply where an HTTP route surfaces one. */
export const OUTBOX_ERRORS = defineErrorCatalog({
  OUTBOX_OPTIONS_INVALID: { status: 500, description: 'The outbox was configured with settings that are not allowed.' },
  OUTBOX_EVENT_INVALID: {
    status: 500,
    description: 'An event given to Outbox.add() lacks an id, pattern, aggregate or object data.',
  },
  OUTBOX_NOT_IN_TRANSACTION: {
    status: 500,
    description: 'Outbox.add() was called with a manager outside a running transaction.',
  },
  OUTBOX_PUBLISH_FAILED: {
    status: 503,
    description: 'The relay could not publish a batch to Redis; the rows stay and are published later.',
  },
  INBOX_OUT_OF_ORDER: {
    status: 409,
    description: 'An event came before an earlier event of its aggregate and origin; nothing was applied, retry later.',
  },
  INBOX_NOT_IN_TRANSACTION: {
    status: 500,
    description: 'An Inbox method was called with a manager outside a running transaction.',
  },
  INBOX_MESSAGE_INVALID: {
    status: 400,
    description: 'A message given to the inbox lacks an id, consumer or aggregate, or has a bad sequence.',
  },
});

type Code = keyof typeof OUTBOX_ERRORS;
export type OutboxErrorCode = Extract<Code, `OUTBOX_${string}`>;
export type InboxErrorCode = Extract<Code, `INBOX_${string}`>;

/** An error of the outbox or its relay, with a stable code. */
export class OutboxError extends DomainError {
  constructor(code: OutboxErrorCode, message: string, options?: { cause?: unknown }) {
    super(code, message);
    if (options?.cause !== undefined) this.cause = options.cause;
  }
}

/** An error of the inbox, with a stable code. */
export class InboxError extends DomainError {
  constructor(code: InboxErrorCode, message: string) {
    super(code, message);
  }
}

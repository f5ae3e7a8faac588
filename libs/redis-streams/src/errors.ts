import { DomainError, defineErrorCatalog } from '@app/service-defaults';

/** Every error code of the transport. Statuses apply where an HTTP route surfaces one. */
export const STREAMS_ERRORS = defineErrorCatalog({
  STREAMS_OPTIONS_INVALID: { status: 500, description: 'The transport was created with options that are not allowed.' },
  STREAMS_REQUEST_TIMEOUT: {
    status: 504,
    description: 'No reply came before the request deadline; the request was withdrawn.',
  },
  STREAMS_CONNECTION_LOST: {
    status: 503,
    description: 'Redis could not be reached, or the connection dropped while a request waited for its reply.',
  },
  STREAMS_PUBLISH_FAILED: { status: 503, description: 'Redis did not store the message (XADD failed).' },
  STREAMS_MARK_BEHIND: {
    status: 503,
    description:
      'publishEnvelopes() stored the batch, but Redis holds a high-water mark below the one expected: it lost data since (the mark was not raised).',
  },
  STREAMS_CLIENT_CLOSED: { status: 503, description: 'The client was closed while the request was pending.' },
  STREAMS_NO_TARGET: { status: 500, description: 'send() on a client that names no target service.' },
  STREAMS_INVALID_MESSAGE: {
    status: 400,
    description: 'A message is malformed or its data fails its schema; it goes to the dead-letter stream at once.',
  },
  STREAMS_NO_HANDLER: { status: 500, description: 'A message arrived for a pattern this service has no handler for.' },
  STREAMS_HANDLER_FAILED: {
    status: 500,
    description: 'A handler failed without an error code of its own (the original message is in the log).',
  },
});

export type StreamsErrorCode = keyof typeof STREAMS_ERRORS;

/** An error of the transport itself, with a stable code. */
export class StreamsError extends DomainError {
  constructor(code: StreamsErrorCode, message: string) {
    super(code, message);
  }
}

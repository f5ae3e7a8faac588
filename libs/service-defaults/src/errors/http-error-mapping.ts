import { HttpException } from '@nestjs/common';
import { DomainError } from './domain-error';
import { ErrorCatalog } from './error-catalog';

/** What a client gets for a failure: status, stable code and message. */
export interface MappedError {
  readonly status: number;
  readonly code: string;
  readonly message: string | readonly string[];
  /** Whether this is the server's fault and so worth an error log line with the stack. */
  readonly unexpected: boolean;
}

/** Errors that Express's body parser raises carry a `type` and a `status`. */
interface BodyParserError {
  type: string;
  status: number;
  limit?: number;
}

function isBodyParserError(error: unknown): error is BodyParserError {
  return (
    typeof error === 'object' &&
    error !== null &&
    typeof (error as { type?: unknown }).type === 'string' &&
    typeof (error as { status?: unknown }).status === 'number'
  );
}

const BODY_PARSER_ERRORS: Readonly<Record<string, { code: string; message: string }>> = {
  'entity.parse.failed': { code: 'MALFORMED_JSON', message: 'The request body is not valid JSON.' },
  'entity.too.large': { code: 'PAYLOAD_TOO_LARGE', message: 'The request body is larger than the limit.' },
  'encoding.unsupported': {
    code: 'VALIDATION_FAILED',
    message: 'The request body has an unsupported content encoding.',
  },
  'charset.unsupported': { code: 'VALIDATION_FAILED', message: 'The request body has an unsupported charset.' },
  'request.size.invalid': { code: 'VALIDATION_FAILED', message: 'The request body does not match its Content-Length.' },
};

const INTERNAL: MappedError = {
  status: 500,
  code: 'INTERNAL_ERROR',
  message: 'An unexpected error occurred.',
  unexpected: true,
};

/**
 * Maps anything thrown while handling an HTTP request to what the client sees. Domain
 * errors take their status from the catalog; the framework's own HTTP errors (unknown
 * route, body parser) get the codes of the public API; anything else is a 500 that
 * reveals nothing.
 */
export function mapHttpError(error: unknown, catalog: ErrorCatalog): MappedError {
  if (error instanceof DomainError) {
    const entry = catalog[error.code];
    if (!entry) return INTERNAL;
    return { status: entry.status, code: error.code, message: error.messages, unexpected: entry.status >= 500 };
  }
  // Nest wraps the body parser's errors in an HttpException whose cause is the original.
  const bodyParserError = error instanceof HttpException ? error.cause : error;
  if (isBodyParserError(bodyParserError) && bodyParserError.status >= 400 && bodyParserError.status < 500) {
    const error = bodyParserError;
    const known = BODY_PARSER_ERRORS[error.type];
    const code = known?.code ?? 'VALIDATION_FAILED';
    const status = code === 'VALIDATION_FAILED' ? 400 : error.status;
    return { status, code, message: known?.message ?? 'The request body could not be read.', unexpected: false };
  }
  if (error instanceof HttpException) {
    const status = error.getStatus();
    if (status === 404) {
      return { status, code: 'ROUTE_NOT_FOUND', message: 'No route answers this method and path.', unexpected: false };
    }
    if (status === 413) {
      return {
        status,
        code: 'PAYLOAD_TOO_LARGE',
        message: 'The request body is larger than the limit.',
        unexpected: false,
      };
    }
    if (status === 503) {
      return { status, code: 'SERVICE_UNAVAILABLE', message: error.message, unexpected: false };
    }
    if (status >= 400 && status < 500) {
      return { status: 400, code: 'VALIDATION_FAILED', message: error.message, unexpected: false };
    }
  }
  return INTERNAL;
}

import { RpcException } from '@nestjs/microservices';
import { DomainError } from './domain-error';
import { ErrorCatalog } from './error-catalog';

/** What a failed message handler answers: its code, for the caller or the retry policy. */
export interface RpcErrorReply {
  readonly status: 'error';
  readonly code: string;
  readonly message: string | readonly string[];
  readonly statusCode?: number;
}

/**
 * Maps what a message handler threw: a domain error keeps its code (and the status its
 * catalog gives it, for callers that answer over HTTP); an `RpcException` keeps its body;
 * anything else is `INTERNAL_ERROR`, revealing nothing.
 */
export function mapRpcError(error: unknown, catalog: ErrorCatalog): { body: RpcErrorReply; unexpected: boolean } {
  if (error instanceof DomainError) {
    const statusCode = catalog[error.code]?.status;
    return {
      body: { status: 'error', code: error.code, message: error.messages, ...(statusCode ? { statusCode } : {}) },
      unexpected: statusCode === undefined || statusCode >= 500,
    };
  }
  if (error instanceof RpcException) {
    const inner = error.getError();
    const body =
      inner && typeof inner === 'object'
        ? { status: 'error' as const, code: 'INTERNAL_ERROR', ...(inner as object) }
        : { status: 'error' as const, code: 'INTERNAL_ERROR', message: String(inner) };
    return { body: body as RpcErrorReply, unexpected: false };
  }
  return {
    body: { status: 'error', code: 'INTERNAL_ERROR', message: 'An unexpected error occurred.', statusCode: 500 },
    unexpected: true,
  };
}

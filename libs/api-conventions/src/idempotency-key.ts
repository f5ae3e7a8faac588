import { ExecutionContext, createParamDecorator } from '@nestjs/common';
import type { IncomingMessage } from 'node:http';
import { ValidationFailedError } from '@app/service-defaults';

export const IDEMPOTENCY_KEY_HEADER = 'idempotency-key';

/** 1 to 128 printable ASCII characters (space through tilde). */
export const IDEMPOTENCY_KEY_PATTERN = /^[\x20-\x7e]{1,128}$/;

/**
 * The request's `Idempotency-Key`, or `undefined` without one; a malformed key (empty,
 * too long, not printable ASCII, or given twice) is `400 VALIDATION_FAILED`.
 */
export function readIdempotencyKey(request: IncomingMessage): string | undefined {
  const raw = request.headers[IDEMPOTENCY_KEY_HEADER];
  if (raw === undefined) return undefined;
  if (typeof raw !== 'string' || !IDEMPOTENCY_KEY_PATTERN.test(raw)) {
    throw new ValidationFailedError(['Idempotency-Key: must be 1 to 128 printable ASCII characters, given once']);
  }
  return raw;
}

/** Injects the validated `Idempotency-Key` header (see {@link readIdempotencyKey}). */
export const IdempotencyKey = createParamDecorator((_data: unknown, context: ExecutionContext) =>
  readIdempotencyKey(context.switchToHttp().getRequest<IncomingMessage>()),
);

import { STATUS_CODES } from 'node:http';
import type { Response } from 'supertest';

/** ISO-8601 UTC with milliseconds, as `Date.prototype.toISOString` writes it. */
export const ISO_TIMESTAMP = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{3}Z$/;
/** The key orders of the public API's bodies (docs/api.md), as the monolith answers them. */
export const ERROR_KEYS = ['statusCode', 'error', 'code', 'message'];
export const DEPOSIT_KEYS = ['customerId', 'amountCents', 'balanceCents'];

/** The response is JSON, as every answer of the public API is. */
export function expectJson(response: Response): void {
  expect(response.headers['content-type']).toMatch(/^application\/json; charset=utf-8$/i);
}

/**
 * The error body of the public API, exactly: `{ statusCode, error, code, message }` in
 * that order, `error` the reason phrase of the status, `message` a string or a list of
 * strings (or exactly `message` when given).
 */
export function expectError(response: Response, status: number, code: string, message?: string | string[]): void {
  expect({ status: response.status, code: (response.body as { code?: unknown }).code }).toEqual({ status, code });
  expectJson(response);
  const body = response.body as Record<string, unknown>;
  expect(Object.keys(body)).toEqual(ERROR_KEYS);
  expect(body).toEqual({
    statusCode: status,
    error: STATUS_CODES[status],
    code,
    message: message ?? expect.anything(),
  });
  const text = body.message;
  if (Array.isArray(text)) {
    expect(text.length).toBeGreaterThan(0);
    for (const line of text) expect(typeof line).toBe('string');
  } else {
    expect(typeof text).toBe('string');
    expect(text).not.toBe('');
  }
}

import { STATUS_CODES } from 'node:http';
import type { Response } from 'supertest';

/** The key orders of the bodies inventory answers with (as `docs/api.md` gives them). */
export const ERROR_KEYS = ['statusCode', 'error', 'code', 'message'];
export const STOCK_ADJUSTMENT_KEYS = ['productId', 'delta', 'stock'];

/** The response is JSON, as every answer of the public API is. */
export function expectJson(response: Response): void {
  expect(response.headers['content-type']).toMatch(/^application\/json; charset=utf-8$/i);
}

/**
 * The error body of the public API, exactly as the monolith answers it:
 * `{ statusCode, error, code, message }` in that order, and `message` when given.
 */
export function expectError(
  response: Response,
  status: number,
  code: string,
  message?: string | readonly string[],
): void {
  expect({ status: response.status, code: (response.body as { code?: unknown }).code }).toEqual({ status, code });
  expectJson(response);
  const body = response.body as Record<string, unknown>;
  expect(Object.keys(body)).toEqual(ERROR_KEYS);
  expect(body).toEqual({
    statusCode: status,
    error: STATUS_CODES[status],
    code,
    message: message === undefined ? expect.anything() : message,
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

import { STATUS_CODES } from 'node:http';
import type { Response } from 'supertest';

/** ISO-8601 UTC with milliseconds, as `Date.prototype.toISOString` writes it. */
export const ISO_TIMESTAMP = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{3}Z$/;
export const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;
export const PRODUCT_KEYS = ['id', 'sku', 'name', 'priceCents', 'stock', 'createdAt', 'updatedAt'];
export const PAGE_KEYS = ['items', 'total', 'limit', 'offset'];
export const ERROR_KEYS = ['statusCode', 'error', 'code', 'message'];

export interface ProductBody {
  id: string;
  sku: string;
  name: string;
  priceCents: number;
  stock: number;
  createdAt: string;
  updatedAt: string;
}

export interface PageBody<T> {
  items: T[];
  total: number;
  limit: number;
  offset: number;
}

/** The response is JSON, as every answer of the public API is. */
export function expectJson(response: Response): void {
  expect(response.headers['content-type']).toMatch(/^application\/json; charset=utf-8$/i);
}

/** The public API's error body, exactly: `{ statusCode, error, code, message }` in that order. */
export function expectError(response: Response, status: number, code: string, message?: unknown): void {
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
}

/** A Product with exactly the fields of docs/api.md, in order, and their types. */
export function expectProductShape(body: unknown): asserts body is ProductBody {
  const product = body as ProductBody;
  expect(Object.keys(product)).toEqual(PRODUCT_KEYS);
  expect(product).toEqual({
    id: expect.stringMatching(UUID),
    sku: expect.any(String),
    name: expect.any(String),
    priceCents: expect.any(Number),
    stock: expect.any(Number),
    createdAt: expect.stringMatching(ISO_TIMESTAMP),
    updatedAt: expect.stringMatching(ISO_TIMESTAMP),
  });
}

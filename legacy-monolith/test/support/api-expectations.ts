import { STATUS_CODES } from 'node:http';
import type { Response } from 'supertest';

/** ISO-8601 UTC with milliseconds, as `Date.prototype.toISOString` writes it. */
export const ISO_TIMESTAMP = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{3}Z$/;
/** A UUID in canonical textual form, lower-case. */
export const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;

/** Key orders of the objects of docs/api.md ("Objects"), and of the other bodies it lists. */
export const CUSTOMER_KEYS = ['id', 'name', 'email', 'balanceCents', 'createdAt'];
export const PRODUCT_KEYS = ['id', 'sku', 'name', 'priceCents', 'stock', 'createdAt', 'updatedAt'];
export const ORDER_KEYS = [
  'id',
  'customerId',
  'items',
  'totalCents',
  'status',
  'rejectionReason',
  'createdAt',
  'updatedAt',
];
export const ORDER_ITEM_KEYS = ['productId', 'quantity', 'unitPriceCents'];
export const PAGE_KEYS = ['items', 'total', 'limit', 'offset'];
export const ERROR_KEYS = ['statusCode', 'error', 'code', 'message'];
export const TOKEN_KEYS = ['accessToken', 'tokenType', 'expiresIn'];
export const DEPOSIT_KEYS = ['customerId', 'amountCents', 'balanceCents'];
export const STOCK_ADJUSTMENT_KEYS = ['productId', 'delta', 'stock'];

export interface CustomerBody {
  id: string;
  name: string;
  email: string;
  balanceCents: number;
  createdAt: string;
}

export interface ProductBody {
  id: string;
  sku: string;
  name: string;
  priceCents: number;
  stock: number;
  createdAt: string;
  updatedAt: string;
}

export interface OrderItemBody {
  productId: string;
  quantity: number;
  unitPriceCents: number;
}

export interface OrderBody {
  id: string;
  customerId: string;
  items: OrderItemBody[];
  totalCents: number;
  status: 'PENDING' | 'APPROVED' | 'REJECTED' | 'CANCELLED';
  rejectionReason: 'INSUFFICIENT_FUNDS' | 'OUT_OF_STOCK' | null;
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

/**
 * The error body of the public API, exactly: `{ statusCode, error, code, message }` in
 * that order, `error` the reason phrase of the status, `message` a string or a list of strings.
 */
export function expectError(response: Response, status: number, code: string): void {
  expect({ status: response.status, code: (response.body as { code?: unknown }).code }).toEqual({ status, code });
  expectJson(response);
  const body = response.body as Record<string, unknown>;
  expect(Object.keys(body)).toEqual(ERROR_KEYS);
  expect(body).toEqual({ statusCode: status, error: STATUS_CODES[status], code, message: expect.anything() });
  const message = body.message;
  if (Array.isArray(message)) {
    expect(message.length).toBeGreaterThan(0);
    for (const line of message) expect(typeof line).toBe('string');
  } else {
    expect(typeof message).toBe('string');
    expect(message).not.toBe('');
  }
}

export function expectTimestamp(value: unknown): void {
  expect(value).toEqual(expect.stringMatching(ISO_TIMESTAMP));
  expect(new Date(value as string).toISOString()).toBe(value);
}

/** A Customer with exactly the fields of docs/api.md, in order, and their types. */
export function expectCustomerShape(body: unknown): asserts body is CustomerBody {
  const customer = body as CustomerBody;
  expect(Object.keys(customer)).toEqual(CUSTOMER_KEYS);
  expect(customer).toEqual({
    id: expect.stringMatching(UUID),
    name: expect.any(String),
    email: expect.any(String),
    balanceCents: expect.any(Number),
    createdAt: expect.any(String),
  });
  expect(Number.isInteger(customer.balanceCents)).toBe(true);
  expect(customer.balanceCents).toBeGreaterThanOrEqual(0);
  expect(customer.email).toBe(customer.email.toLowerCase());
  expectTimestamp(customer.createdAt);
}

/** A Product with exactly the fields of docs/api.md, in order, and their types. */
export function expectProductShape(body: unknown): asserts body is ProductBody {
  const product = body as ProductBody;
  expect(Object.keys(product)).toEqual(PRODUCT_KEYS);
  expect(product).toEqual({
    id: expect.stringMatching(UUID),
    sku: expect.stringMatching(/^[A-Z0-9-]{1,64}$/),
    name: expect.any(String),
    priceCents: expect.any(Number),
    stock: expect.any(Number),
    createdAt: expect.any(String),
    updatedAt: expect.any(String),
  });
  expect(Number.isInteger(product.priceCents)).toBe(true);
  expect(Number.isInteger(product.stock)).toBe(true);
  expect(product.stock).toBeGreaterThanOrEqual(0);
  expectTimestamp(product.createdAt);
  expectTimestamp(product.updatedAt);
}

/** An Order with exactly the fields of docs/api.md, in order, and their types and rules. */
export function expectOrderShape(body: unknown): asserts body is OrderBody {
  const order = body as OrderBody;
  expect(Object.keys(order)).toEqual(ORDER_KEYS);
  expect(order).toEqual({
    id: expect.stringMatching(UUID),
    customerId: expect.stringMatching(UUID),
    items: expect.any(Array),
    totalCents: expect.any(Number),
    status: expect.stringMatching(/^(PENDING|APPROVED|REJECTED|CANCELLED)$/),
    rejectionReason: order.status === 'REJECTED' ? expect.stringMatching(/^(INSUFFICIENT_FUNDS|OUT_OF_STOCK)$/) : null,
    createdAt: expect.any(String),
    updatedAt: expect.any(String),
  });
  expect(order.items.length).toBeGreaterThan(0);
  for (const item of order.items) {
    expect(Object.keys(item)).toEqual(ORDER_ITEM_KEYS);
    expect(item).toEqual({
      productId: expect.stringMatching(UUID),
      quantity: expect.any(Number),
      unitPriceCents: expect.any(Number),
    });
    expect(Number.isInteger(item.quantity) && Number.isInteger(item.unitPriceCents)).toBe(true);
  }
  expect(order.totalCents).toBe(order.items.reduce((sum, item) => sum + item.quantity * item.unitPriceCents, 0));
  expectTimestamp(order.createdAt);
  expectTimestamp(order.updatedAt);
}

/** A page `{ items, total, limit, offset }`, in that order, echoing `limit` and `offset`. */
export function expectPageShape<T>(
  body: unknown,
  expected: { limit: number; offset: number },
  item: (value: unknown) => void,
): asserts body is PageBody<T> {
  const page = body as PageBody<T>;
  expect(Object.keys(page)).toEqual(PAGE_KEYS);
  expect(page).toEqual({ items: expect.any(Array), total: expect.any(Number), ...expected });
  expect(Number.isInteger(page.total)).toBe(true);
  expect(page.items.length).toBeLessThanOrEqual(expected.limit);
  if (page.items.length > 0) expect(page.total).toBeGreaterThanOrEqual(expected.offset + page.items.length);
  page.items.forEach(item);
}

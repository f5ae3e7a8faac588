import { z } from 'zod';

/** What a message pattern looks like: lower case, digits, `.`, `_` and `-`, starting with a letter or digit. */
export const PATTERN_FORMAT = /^[a-z0-9][a-z0-9._-]*$/;

/** What a service name (`origin`) looks like: 1 to 100 of `a-z 0-9 . _ -`, starting with a letter or digit. */
export const SERVICE_NAME_FORMAT = /^[a-z0-9][a-z0-9._-]{0,99}$/;

const UUID_FORMAT = /^[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}$/;

/** Any UUID in canonical 8-4-4-4-12 form, any case; parsed to lower case (producers emit lower case). */
export const Uuid = z
  .string()
  .regex(UUID_FORMAT, 'must be a UUID')
  .transform((value) => value.toLowerCase());

const ISO_MESSAGE = 'must be an ISO-8601 UTC timestamp with milliseconds, as Date.toISOString() prints it';

/**
 * An instant as `Date.prototype.toISOString()` prints it: UTC, milliseconds, `Z`
 * (`2026-11-22T04:00:00.000Z`). Anything else, even a valid ISO-8601 variant, is rejected.
 */
export const IsoTimestamp = z
  .string()
  .regex(/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{3}Z$/, ISO_MESSAGE)
  .refine((value) => {
    const time = Date.parse(value);
    return Number.isFinite(time) && new Date(time).toISOString() === value;
  }, ISO_MESSAGE);

/** A service name, as in `origin` and the keys of a snapshot's `sequences`. */
export const ServiceName = z
  .string()
  .regex(SERVICE_NAME_FORMAT, 'must be 1 to 100 of a-z, 0-9, ".", "_" and "-", starting with a letter or digit');

/** Money: whole cents, never negative. */
export const Cents = z.int().min(0);

/** An email address, stored and sent in lower case. */
export const LowerCaseEmail = z
  .email()
  .max(320)
  .refine((value) => value === value.toLowerCase(), 'must be lower case');

/** A product's stock-keeping unit. */
export const Sku = z.string().regex(/^[A-Z0-9-]{1,64}$/, 'must be 1 to 64 characters of A-Z, 0-9 and -');

export const CUSTOMER_NAME_MAX = 100;
export const PRODUCT_NAME_MAX = 200;
export const CustomerName = z.string().min(1).max(CUSTOMER_NAME_MAX);
export const ProductName = z.string().min(1).max(PRODUCT_NAME_MAX);

import { z } from 'zod';

const NUL = '\u0000';

/**
 * Free text of the public API: any string without the NUL character (U+0000), which PostgreSQL
 * refuses in text values (a query or insert holding it would fail as a 500), so that the same
 * input gets the same answer on every database: `VALIDATION_FAILED`.
 */
export function apiText(): z.ZodString {
  return z.string().refine((value) => !value.includes(NUL), 'must not contain the NUL character (U+0000)');
}

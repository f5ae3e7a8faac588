import { z } from 'zod';

/**
 * A query-string integer (`?limit=20`): decimal digits only, then checked against its
 * range. Absent means `defaultValue`.
 */
export function queryInteger(options: { min: number; max: number; default: number }) {
  return z
    .string()
    .regex(/^-?\d+$/, 'must be an integer')
    .transform(Number)
    .pipe(z.int().min(options.min).max(options.max))
    .optional()
    .transform((value) => value ?? options.default)
    .meta({ description: `${options.min}..${options.max}, default ${options.default}` });
}

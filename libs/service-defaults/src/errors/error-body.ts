import { STATUS_CODES } from 'node:http';
import { z } from 'zod';

/** The error body of the public API, whatever the status. */
export const ErrorBodySchema = z
  .object({
    statusCode: z.int().meta({ example: 404 }),
    error: z.string().meta({ description: 'The HTTP reason phrase of the status.', example: 'Not Found' }),
    code: z.string().meta({ description: 'Stable, machine-readable code.', example: 'PRODUCT_NOT_FOUND' }),
    message: z
      .union([z.string(), z.array(z.string())])
      .meta({ description: 'For people: a sentence, or a list of them for validation errors.' }),
  })
  .meta({ id: 'Error' });

export type ErrorBody = z.infer<typeof ErrorBodySchema>;

export function errorBody(statusCode: number, code: string, message: string | readonly string[]): ErrorBody {
  return {
    statusCode,
    error: STATUS_CODES[statusCode] ?? 'Error',
    code,
    message: typeof message === 'string' ? message : [...message],
  };
}

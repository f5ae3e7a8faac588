import { z } from 'zod';

/** Any UUID in its canonical textual form (8-4-4-4-12 hexadecimal digits), whatever its version. */
export const UUID_PATTERN = /^[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}$/;

/** A UUID, returned lower-cased so that lookups match however the caller wrote it. */
export const UuidSchema = z
  .string()
  .regex(UUID_PATTERN, 'must be a UUID')
  .transform((value) => value.toLowerCase())
  .meta({ format: 'uuid', example: '0b6f2a4e-3f0c-4b8e-9f61-2d1c5e7a9b10' });

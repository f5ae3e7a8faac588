import type { SchemaOptions } from '@app/database';
import { IdempotencyKeyEntity } from './idempotency-key.entity';
import { IdempotencySchema1764200000000 } from './migrations/1764200000000-idempotency-schema';
import { IdempotencyKeyPositions1765200000000 } from './migrations/1765200000000-idempotency-key-positions';

/** The entity and migrations to merge into the database of a service that honours `Idempotency-Key`. */
export const IDEMPOTENCY_SCHEMA = {
  entities: [IdempotencyKeyEntity],
  migrations: [IdempotencySchema1764200000000, IdempotencyKeyPositions1765200000000],
} satisfies SchemaOptions;

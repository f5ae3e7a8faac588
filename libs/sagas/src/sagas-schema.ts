import type { SchemaOptions } from '@app/database';
import { SagaInstanceEntity } from './saga-instance.entity';
import { SagasSchema1765300000000 } from './migrations/1765300000000-sagas-schema';

/** The entity and migration to merge into the database of a service that runs sagas. */
export const SAGAS_SCHEMA = {
  entities: [SagaInstanceEntity],
  migrations: [SagasSchema1765300000000],
} satisfies SchemaOptions;

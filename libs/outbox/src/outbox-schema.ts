import type { SchemaOptions } from '@app/database';
import { InboxMessageEntity } from './entities/inbox-message.entity';
import { InboxParkedEntity } from './entities/inbox-parked.entity';
import { InboxSequenceEntity } from './entities/inbox-sequence.entity';
import { OutboxEventEntity } from './entities/outbox-event.entity';
import { OutboxRelayLockEntity } from './entities/outbox-relay-lock.entity';
import { OutboxSequenceEntity } from './entities/outbox-sequence.entity';
import { OutboxSchema1764000000000 } from './migrations/1764000000000-outbox-schema';
import { InboxParked1765100000000 } from './migrations/1765100000000-inbox-parked';

/**
 * The outbox's and inbox's tables, to merge into an app's schema (plain lists, so they spread):
 *
 * @example
 * DatabaseModule.forRoot({
 *   processName,
 *   entities: [...MY_ENTITIES, ...OUTBOX_SCHEMA.entities],
 *   migrations: [...MY_MIGRATIONS, ...OUTBOX_SCHEMA.migrations],
 * });
 */
// eslint-disable-next-line @typescript-eslint/no-unsafe-function-type
export const OUTBOX_SCHEMA: SchemaOptions & { readonly entities: Function[]; readonly migrations: Function[] } = {
  entities: [
    OutboxEventEntity,
    OutboxSequenceEntity,
    OutboxRelayLockEntity,
    InboxMessageEntity,
    InboxSequenceEntity,
    InboxParkedEntity,
  ],
  migrations: [OutboxSchema1764000000000, InboxParked1765100000000],
};

import {
  Column,
  Entity,
  type EntityManager,
  type MigrationInterface,
  PrimaryColumn,
  type QueryRunner,
  Table,
} from 'typeorm';
import { Injectable, Module, type Type } from '@nestjs/common';
import { CqrsModule, EventsHandler, type ICommand, type IEvent, type IEventHandler, Saga, ofType } from '@nestjs/cqrs';
import { type Observable, filter, map } from 'rxjs';
import type { NestExpressApplication } from '@nestjs/platform-express';
import { DataSource } from 'typeorm';
import { DatabaseModule } from '@app/database';
import { eventByPattern } from '@app/contracts';
import {
  ApplyIntegrationEvents,
  type IntegrationEventType,
  IntegrationEventsModule,
  IntegrationEventsReadiness,
  connectIntegrationEvents,
  integrationEventClass,
  patternOf,
} from '@app/integration-events';
import { OUTBOX_SCHEMA } from '@app/outbox';
import { ServiceDefaultsModule, createHttpService } from '@app/service-defaults';
import { type TestDatabase, createPostgresDatabase, createSqliteDatabase } from './test-databases';
import { withEnv } from './with-env';

/** One event a {@link TestConsumer} applied, as its handler stored it. */
@Entity('applied_events')
export class AppliedEventEntity {
  @PrimaryColumn({ type: 'varchar', length: 64 })
  id!: string;

  @Column({ type: 'varchar', length: 100 })
  pattern!: string;

  @Column({ type: 'varchar', length: 100 })
  origin!: string;

  @Column({ name: 'aggregate_id', type: 'varchar', length: 64 })
  aggregateId!: string;

  @Column({ type: 'int', nullable: true })
  sequence!: number | null;

  @Column({ type: 'int' })
  position!: number;
}

class AppliedEvents1700000000000 implements MigrationInterface {
  name = 'AppliedEvents1700000000000';

  async up(runner: QueryRunner): Promise<void> {
    await runner.createTable(
      new Table({
        name: 'applied_events',
        columns: [
          { name: 'id', type: 'varchar', length: '64', isPrimary: true },
          { name: 'pattern', type: 'varchar', length: '100' },
          { name: 'origin', type: 'varchar', length: '100' },
          { name: 'aggregate_id', type: 'varchar', length: '64' },
          { name: 'sequence', type: 'int', isNullable: true },
          { name: 'position', type: 'int' },
        ],
      }),
    );
  }

  async down(runner: QueryRunner): Promise<void> {
    await runner.dropTable('applied_events');
  }
}

type Data = { id: string; origin: string; aggregateId: string; sequence?: number };

export interface TestConsumerOptions {
  /** The consumer's service name (its origin and consumer group). */
  readonly origin: string;
  /** The patterns it consumes (patterns of `@app/contracts`). */
  readonly patterns: readonly string[];
  readonly redisPrefix: string;
  readonly database?: 'sqlite' | 'postgres';
  /** Handler failures before each event is applied (to exercise redelivery). */
  readonly failuresPerEvent?: number;
  readonly env?: Readonly<Record<string, string>>;
  /** Whether `GET /health/ready` checks the event consumer (`IntegrationEventsReadiness`). */
  readonly readiness?: boolean;
}

/**
 * A small service built the way real ones are (database, outbox/inbox, `@nestjs/cqrs`,
 * `IntegrationEventsModule`, a `RedisStreamsServer`), whose handler stores every event it
 * applies, in order, and whose local `EventBus` handler and saga note what reached them.
 * For tests that need a consumer on the other side of the streams.
 */
export class TestConsumer {
  private constructor(
    readonly app: NestExpressApplication,
    private readonly database: TestDatabase,
    /** The event class of each consumed pattern. */
    readonly classes: ReadonlyMap<string, IntegrationEventType>,
    /** Ids of the events that reached the local `EventBus` handler. */
    readonly published: string[],
    /** Ids of the events the saga saw. */
    readonly sagaSeen: string[],
    /** Ids of the events whose handling threw on purpose, once per failure. */
    readonly failures: string[],
  ) {}

  static async start(options: TestConsumerOptions): Promise<TestConsumer> {
    const database = options.database === 'postgres' ? await createPostgresDatabase() : createSqliteDatabase();
    const published: string[] = [];
    const sagaSeen: string[] = [];
    const failures: string[] = [];
    // The classes services use, so the bridge, the EventBus and sagas are tested with them.
    const classes: IntegrationEventType[] = options.patterns.map((pattern) => {
      const definition = eventByPattern(pattern);
      if (!definition) throw new Error(`TestConsumer: @app/contracts defines no event ${pattern}`);
      return integrationEventClass(definition);
    });
    const failuresPerEvent = options.failuresPerEvent ?? 0;
    const attempts = new Map<string, number>();

    @Injectable()
    @ApplyIntegrationEvents(...classes)
    class RecordingHandler {
      async handle(event: { data: Data }, manager: EntityManager): Promise<void> {
        const tried = attempts.get(event.data.id) ?? 0;
        attempts.set(event.data.id, tried + 1);
        if (tried < failuresPerEvent) {
          failures.push(event.data.id);
          throw new Error(`failing on purpose (${tried + 1} of ${failuresPerEvent})`);
        }
        const position = await manager.count(AppliedEventEntity);
        await manager.insert(AppliedEventEntity, {
          id: event.data.id,
          pattern: patternOf(event.constructor as IntegrationEventType),
          origin: event.data.origin,
          aggregateId: event.data.aggregateId,
          sequence: event.data.sequence ?? null,
          position,
        });
      }
    }

    @EventsHandler(...classes)
    class LocalReaction implements IEventHandler<{ data: Data }> {
      handle(event: { data: Data }): void {
        published.push(event.data.id);
      }
    }

    @Injectable()
    class WatchingSaga {
      @Saga()
      watch = (events$: Observable<IEvent>): Observable<ICommand> =>
        events$.pipe(
          ofType(...(classes as unknown as Type<IEvent>[])),
          map((event) => {
            sagaSeen.push((event as { data: Data }).data.id);
            return null;
          }),
          filter((command): command is never => command !== null),
        );
    }

    @Module({
      imports: [
        ServiceDefaultsModule.forRoot({
          processName: options.origin,
          defaultPort: 0,
          readiness: options.readiness ? [IntegrationEventsReadiness] : [],
        }),
        DatabaseModule.forRoot({
          processName: options.origin,
          entities: [AppliedEventEntity, ...OUTBOX_SCHEMA.entities],
          migrations: [AppliedEvents1700000000000, ...OUTBOX_SCHEMA.migrations],
        }),
        CqrsModule.forRoot(),
        IntegrationEventsModule.forRoot({ origin: options.origin, consumes: classes }),
      ],
      providers: [RecordingHandler, LocalReaction, WatchingSaga],
    })
    class TestConsumerModule {}

    try {
      const app = await withEnv(
        {
          DATABASE_URL: database.url,
          REDIS_PREFIX: options.redisPrefix,
          EVENTS_RETRY_BASE_DELAY_MS: '20',
          ...options.env,
        },
        async () => {
          const built = await createHttpService(TestConsumerModule);
          await connectIntegrationEvents(built);
          return built;
        },
      );
      const byPattern = new Map(classes.map((eventClass) => [patternOf(eventClass), eventClass]));
      return new TestConsumer(app, database, byPattern, published, sagaSeen, failures);
    } catch (error) {
      await database.drop();
      throw error;
    }
  }

  /** Every event the handler applied, in the order it applied them. */
  async applied(): Promise<AppliedEventEntity[]> {
    return this.app
      .get(DataSource)
      .getRepository(AppliedEventEntity)
      .find({ order: { position: 'ASC' } });
  }

  async close(): Promise<void> {
    await this.app.close();
    await this.database.drop();
  }
}

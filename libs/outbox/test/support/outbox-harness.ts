import { randomUUID } from 'node:crypto';
import { type DynamicModule, Global, Module } from '@nestjs/common';
import { Test, type TestingModule } from '@nestjs/testing';
import { createClient } from 'redis';
import { DataSource, type EntityManager } from 'typeorm';
import { DatabaseModule, UnitOfWork } from '@app/database';
import {
  Inbox,
  OUTBOX_PUBLISHER,
  OUTBOX_SCHEMA,
  OUTBOX_STREAMS_CLIENT,
  Outbox,
  OutboxHealthIndicator,
  OutboxModule,
  OutboxPurger,
  OutboxRelay,
  type AddOptions,
  type AddedEvent,
  type NewOutboxEvent,
  type OutboxSettings,
} from '@app/outbox';
import { type Envelope, type EnvelopePublisher, decodeEnvelope } from '@app/redis-streams';
import { MetricsRegistry } from '@app/service-defaults';
import {
  type TestDatabase,
  createPostgresDatabase,
  createSqliteDatabase,
} from '../../../../tools/testing/test-databases';
import { TEST_REDIS_URL, deleteTestKeys, uniqueTestPrefix } from '../../../../tools/testing/test-redis';
import { withEnv } from '../../../../tools/testing/with-env';
import { TestLedger1763000000000, TestLedgerEntity } from './test-ledger';

export type DatabaseKind = 'sqlite' | 'postgres';
export const DATABASES: readonly DatabaseKind[] = ['sqlite', 'postgres'];
export { TEST_REDIS_URL };

/** An outbox row as stored. */
export interface StoredRow {
  seq: number;
  id: string;
  pattern: string;
  aggregateType: string;
  aggregateId: string;
  sequence: number | null;
  data: Record<string, unknown>;
  createdAt: string;
  publishedAt: string | null;
  attempts: number;
  lastError: string | null;
}

/** A stream entry read back. */
export interface StreamEntry {
  readonly entryId: string;
  readonly envelope: Envelope<Record<string, unknown>>;
}

function metricsModule(): DynamicModule {
  @Global()
  @Module({})
  class TestMetricsModule {}
  return {
    module: TestMetricsModule,
    providers: [{ provide: MetricsRegistry, useValue: new MetricsRegistry('outbox-test') }],
    exports: [MetricsRegistry],
  };
}

/** One app with the outbox on a test database: what a service that uses the library has. */
export class OutboxInstance {
  constructor(
    readonly app: TestingModule,
    readonly kind: DatabaseKind,
    /** Give it to another instance to share the database. */
    readonly database: TestDatabase,
  ) {}

  get outbox(): Outbox {
    return this.app.get(Outbox);
  }
  get inbox(): Inbox {
    return this.app.get(Inbox);
  }
  get relay(): OutboxRelay {
    return this.app.get(OutboxRelay);
  }
  get purger(): OutboxPurger {
    return this.app.get(OutboxPurger);
  }
  get health(): OutboxHealthIndicator {
    return this.app.get(OutboxHealthIndicator);
  }
  get uow(): UnitOfWork {
    return this.app.get(UnitOfWork);
  }
  get dataSource(): DataSource {
    return this.app.get(DataSource);
  }
  get metrics(): MetricsRegistry {
    return this.app.get(MetricsRegistry);
  }

  /** Adds events, each in a transaction of its own. */
  async add(events: readonly NewOutboxEvent[], options?: AddOptions): Promise<AddedEvent[]> {
    const added: AddedEvent[] = [];
    for (const event of events) added.push(await this.uow.transaction((m) => this.outbox.add(m, event, options)));
    return added;
  }

  transaction<T>(work: (manager: EntityManager) => Promise<T>): Promise<T> {
    return this.uow.transaction(work);
  }

  /** Every outbox row, in insertion order. */
  async rows(): Promise<StoredRow[]> {
    const rows = (await this.dataSource.query('SELECT * FROM outbox_events ORDER BY seq')) as Record<string, unknown>[];
    return rows.map((row) => ({
      seq: Number(row.seq),
      id: String(row.id),
      pattern: String(row.pattern),
      aggregateType: String(row.aggregate_type),
      aggregateId: String(row.aggregate_id),
      sequence: row.sequence === null ? null : Number(row.sequence),
      data: JSON.parse(String(row.data)) as Record<string, unknown>,
      createdAt: String(row.created_at),
      publishedAt: row.published_at === null ? null : String(row.published_at),
      attempts: Number(row.attempts),
      lastError: row.last_error === null ? null : String(row.last_error),
    }));
  }

  /** Rows of any table, by a query written with `?` placeholders. */
  async query(text: string, parameters: unknown[] = []): Promise<Record<string, unknown>[]> {
    let n = 0;
    const sql = this.kind === 'postgres' ? text.replace(/\?/g, () => `$${++n}`) : text;
    return (await this.dataSource.query(sql, parameters)) as Record<string, unknown>[];
  }

  /** The notes of the test ledger (what handlers wrote), sorted. */
  async ledger(): Promise<string[]> {
    const rows = await this.dataSource.getRepository(TestLedgerEntity).find();
    return rows.map((row) => row.note).sort();
  }

  close(): Promise<void> {
    return this.app.close();
  }
}

export interface InstanceOptions {
  /** Another instance's database, to share it; a fresh one of `kind` otherwise. */
  readonly database?: TestDatabase;
  readonly origin?: string;
  readonly settings?: Partial<OutboxSettings>;
  /** Puts a publisher of the test's between the relay and the module's streams client. */
  readonly publisher?: (client: EnvelopePublisher) => EnvelopePublisher;
  /** Environment variables while the app is built (its configuration is read then). */
  readonly env?: Readonly<Record<string, string>>;
}

/**
 * Real Redis, real SQLite and PostgreSQL, and outbox apps built the way services build them.
 * Every key lives under a prefix of this harness's own; `cleanup()` closes the apps, drops the
 * databases and deletes the keys.
 */
export class OutboxHarness {
  readonly prefix = uniqueTestPrefix('outbox');
  readonly redis = createClient({ url: TEST_REDIS_URL, RESP: 2 });
  private readonly databases: TestDatabase[] = [];
  private instances: OutboxInstance[] = [];

  async start(): Promise<this> {
    await this.redis.connect();
    return this;
  }

  async database(kind: DatabaseKind): Promise<TestDatabase> {
    const database = kind === 'postgres' ? await createPostgresDatabase() : createSqliteDatabase();
    this.databases.push(database);
    return database;
  }

  /** An app with the outbox (relay started unless the settings say otherwise; purger off). */
  async instance(kind: DatabaseKind, options: InstanceOptions = {}): Promise<OutboxInstance> {
    const database = options.database ?? (await this.database(kind));
    const builder = Test.createTestingModule({
      imports: [
        metricsModule(),
        DatabaseModule.forRoot({
          processName: 'outbox-test',
          entities: [TestLedgerEntity, ...OUTBOX_SCHEMA.entities],
          migrations: [TestLedger1763000000000, ...OUTBOX_SCHEMA.migrations],
        }),
        OutboxModule.forRoot({
          origin: options.origin ?? 'tests',
          settings: { redisUrl: TEST_REDIS_URL, redisPrefix: this.prefix, startPurger: false, ...options.settings },
        }),
      ],
    });
    const { publisher } = options;
    if (publisher) {
      builder.overrideProvider(OUTBOX_PUBLISHER).useFactory({ factory: publisher, inject: [OUTBOX_STREAMS_CLIENT] });
    }
    const app = await withEnv({ ...options.env, DATABASE_URL: database.url }, () => builder.compile());
    app.useLogger(false);
    await app.init();
    const instance = new OutboxInstance(app, kind, database);
    this.instances.push(instance);
    return instance;
  }

  /** The stream key of a pattern. */
  key(pattern: string): string {
    return `${this.prefix}evt:${pattern}`;
  }

  /** The entries of a pattern's stream, oldest first, decoded (from the shared Redis unless told). */
  async entries(
    pattern: string,
    redis: { sendCommand(args: string[]): Promise<unknown> } = this.redis,
  ): Promise<StreamEntry[]> {
    const reply = (await redis.sendCommand(['XRANGE', this.key(pattern), '-', '+'])) as [string, string[]][];
    return reply.map(([entryId, fields]) => {
      const record: Record<string, string> = {};
      for (let i = 0; i + 1 < fields.length; i += 2) record[fields[i] as string] = fields[i + 1] as string;
      const decoded = decodeEnvelope(record);
      if (!decoded.ok) throw new Error(`Entry ${entryId} is malformed: ${decoded.reason}`);
      return { entryId, envelope: decoded.envelope as Envelope<Record<string, unknown>> };
    });
  }

  /** Closes every app made so far. */
  async closeAll(): Promise<void> {
    const instances = this.instances.reverse();
    this.instances = [];
    for (const instance of instances) await instance.close().catch(() => undefined);
  }

  async cleanup(): Promise<void> {
    await this.closeAll();
    for (const database of this.databases.splice(0)) await database.drop().catch(() => undefined);
    await deleteTestKeys(this.prefix);
    if (this.redis.isOpen) await this.redis.quit();
  }
}

/** A new event for `aggregateId` (a customer by default). */
export function newEvent(
  aggregateId: string,
  data: Record<string, unknown> = {},
  pattern = 'customer.changed',
): NewOutboxEvent {
  return { id: randomUUID(), pattern, aggregateType: 'customer', aggregateId, data };
}

/** Polls `check` until it returns true, or fails after `timeoutMs`. */
export async function eventually(
  check: () => boolean | Promise<boolean>,
  timeoutMs = 5_000,
  what = 'condition',
): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    if (await check()) return;
    await sleep(20);
  }
  throw new Error(`Timed out after ${timeoutMs} ms waiting for ${what}`);
}

export const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/** The error `work` fails with (fails the test if it succeeds). */
export async function failureOf(work: Promise<unknown>): Promise<Error & { code?: string }> {
  return work.then(
    (value) => {
      throw new Error(`Expected a failure, got ${JSON.stringify(value)}`);
    },
    (error: unknown) => error as Error & { code?: string },
  );
}

import { randomUUID } from 'node:crypto';
import { Body, Controller, Get, Module, Post } from '@nestjs/common';
import type { NestExpressApplication } from '@nestjs/platform-express';
import { Test } from '@nestjs/testing';
import request, { type Response } from 'supertest';
import type { EntityManager } from 'typeorm';
import { DatabaseModule, UnitOfWork } from '@app/database';
import { IDEMPOTENCY_ERRORS, IDEMPOTENCY_SCHEMA, IdempotencyModule } from '@app/idempotency';
import {
  CONSISTENCY_CLOCK,
  CONSISTENCY_ERRORS,
  Inbox,
  OUTBOX_SCHEMA,
  Outbox,
  OutboxModule,
  PositionsGate,
} from '@app/outbox';
import { ManualClock } from '@app/redis-streams';
import { DomainError, ServiceDefaultsModule, defineErrorCatalog } from '@app/service-defaults';
import type { TestDatabase } from '../../../../tools/testing/test-databases';
import { withEnv } from '../../../../tools/testing/with-env';
import { type EventSpec, IdempotentWritesController, WriteHold, addFixtureEvent } from './idempotent-writes';
import { type DatabaseKind, OutboxHarness, TEST_REDIS_URL } from './outbox-harness';
import { TestLedger1763000000000, TestLedgerEntity } from './test-ledger';

/** This fixture's origin: the consumer name of its inbox too. */
export const FIXTURE_ORIGIN = 'tests';

const FIXTURE_ERRORS = defineErrorCatalog({
  FIXTURE_REFUSED: { status: 409, description: 'The fixture refused the last transaction, on request.' },
});

interface WritesBody {
  /** Each inner list is one transaction. */
  readonly transactions: EventSpec[][];
  /** The last transaction throws after adding its events (so it rolls back), and the request fails. */
  readonly failLast?: boolean;
}

@Controller('fixture')
class FixtureController {
  constructor(
    private readonly uow: UnitOfWork,
    private readonly outbox: Outbox,
  ) {}

  /** Adds events, one transaction per list; answers 201 with the sequences taken. */
  @Post('writes')
  async write(@Body() body: WritesBody): Promise<{ sequences: (number | null)[] }> {
    const sequences: (number | null)[] = [];
    for (const [index, events] of body.transactions.entries()) {
      await this.uow.transaction(async (manager) => {
        for (const event of events) sequences.push(await addFixtureEvent(this.outbox, manager, event));
        if (body.failLast && index === body.transactions.length - 1) {
          throw new DomainError('FIXTURE_REFUSED', 'Refused on request.');
        }
      });
    }
    return { sequences };
  }

  /** What handlers of applied events wrote. */
  @Get('notes')
  async notes(): Promise<{ notes: string[] }> {
    const rows = await this.uow.read((manager) => manager.find(TestLedgerEntity));
    return { notes: rows.map((row) => row.note).sort() };
  }
}

/** The fixture app, built as a service is, listening on a port of its own, its waits on a `ManualClock`. */
export class ConsistencyApp {
  private constructor(
    readonly app: NestExpressApplication,
    readonly url: string,
    readonly clock: ManualClock,
  ) {}

  static async start(
    database: TestDatabase,
    redisPrefix: string,
    options: { consistencyWaitMs?: number; appliedAggregateTypes?: readonly string[] } = {},
  ): Promise<ConsistencyApp> {
    @Module({
      imports: [
        ServiceDefaultsModule.forRoot({
          processName: 'consistency-test',
          defaultPort: 0,
          errorCatalogs: [CONSISTENCY_ERRORS, IDEMPOTENCY_ERRORS, FIXTURE_ERRORS],
          logStream: { write: () => undefined },
        }),
        DatabaseModule.forRoot({
          processName: 'consistency-test',
          entities: [TestLedgerEntity, ...IDEMPOTENCY_SCHEMA.entities, ...OUTBOX_SCHEMA.entities],
          migrations: [TestLedger1763000000000, ...IDEMPOTENCY_SCHEMA.migrations, ...OUTBOX_SCHEMA.migrations],
        }),
        IdempotencyModule,
        OutboxModule.forRoot({
          origin: FIXTURE_ORIGIN,
          appliedAggregateTypes: options.appliedAggregateTypes,
          settings: {
            redisUrl: TEST_REDIS_URL,
            redisPrefix,
            startPurger: false,
            consistencyWaitMs: options.consistencyWaitMs ?? 2_000,
          },
        }),
      ],
      controllers: [FixtureController, IdempotentWritesController],
      providers: [WriteHold],
    })
    class ConsistencyFixtureModule {}

    const clock = new ManualClock();
    const testing = await withEnv({ DATABASE_URL: database.url }, () =>
      Test.createTestingModule({ imports: [ConsistencyFixtureModule] })
        .overrideProvider(CONSISTENCY_CLOCK)
        .useValue(clock)
        .compile(),
    );
    const app = testing.createNestApplication<NestExpressApplication>({ logger: false });
    await app.listen(0, '127.0.0.1');
    return new ConsistencyApp(app, await app.getUrl(), clock);
  }

  http() {
    return request(this.url);
  }

  get gate(): PositionsGate {
    return this.app.get(PositionsGate);
  }

  /** Holds the next idempotent write open (see {@link WriteHold}). */
  holdNextWrite(): ReturnType<WriteHold['hold']> {
    return this.app.get(WriteHold).hold();
  }

  /**
   * Applies another origin's event in a transaction of its own, as the integration events
   * module does: its handler writes `note`; an event ahead of its predecessor is parked, and the
   * parked events that follow an applied one are applied in the same transaction.
   */
  apply(
    event: { origin: string; aggregateType?: string; aggregateId: string; sequence: number },
    note: string,
  ): Promise<void> {
    const inbox = this.app.get(Inbox);
    const message = { id: randomUUID(), aggregateType: 'customer', ...event };
    const key = { consumer: FIXTURE_ORIGIN, ...message };
    return this.app.get(UnitOfWork).transaction(async (manager) => {
      const payload = { pattern: 'fixture.applied', data: { note } };
      const outcome = await inbox.apply(manager, { ...message, payload }, FIXTURE_ORIGIN, () =>
        this.note(manager, note),
      );
      if (!outcome.applied) return;
      for (let last = event.sequence; ;) {
        const next = await inbox.takeParked(manager, key, last);
        if (!next) return;
        const parked = { ...message, id: next.messageId, sequence: next.sequence };
        const { note: parkedNote } = next.data as { note: string };
        await inbox.apply(manager, parked, FIXTURE_ORIGIN, () => this.note(manager, parkedNote));
        last = next.sequence;
      }
    });
  }

  /** Applies a snapshot of a customer reflecting `sequences`; its handler writes `note`. */
  applySnapshot(aggregateId: string, sequences: Record<string, number>, note: string): Promise<unknown> {
    const snapshot = { id: randomUUID(), aggregateType: 'customer', aggregateId, sequences };
    return this.app
      .get(UnitOfWork)
      .transaction((manager) =>
        this.app.get(Inbox).applySnapshot(manager, snapshot, FIXTURE_ORIGIN, () => this.note(manager, note)),
      );
  }

  /** A Prometheus sample of `GET /metrics` (0 when absent). */
  async metric(name: string, labels: Record<string, string> = {}): Promise<number> {
    const text = (await this.http().get('/metrics').expect(200)).text;
    const wanted = Object.entries(labels).map(([key, value]) => `${key}="${value}"`);
    const line = text
      .split('\n')
      .find(
        (candidate) =>
          (candidate.startsWith(`${name} `) || candidate.startsWith(`${name}{`)) &&
          wanted.every((label) => candidate.includes(label)),
      );
    return line ? Number(line.slice(line.lastIndexOf(' ') + 1)) : 0;
  }

  close(): Promise<void> {
    return this.app.close();
  }

  private async note(manager: EntityManager, note: string): Promise<void> {
    await manager.insert(TestLedgerEntity, { id: randomUUID(), note });
  }
}

/** An event of the fixture's write routes on a customer (a snapshot, unnumbered, with `snapshot`). */
export const customer = (aggregateId: string, snapshot?: boolean): EventSpec => ({
  aggregateType: 'customer',
  aggregateId,
  snapshot,
});
export const product = (aggregateId: string): EventSpec => ({ aggregateType: 'product', aggregateId });

/** Starts the request now; resolves with its response. */
export const started = (test: PromiseLike<Response>): Promise<Response> => Promise.resolve(test);

/**
 * A {@link ConsistencyApp} on a fresh database of `kind` for the enclosing `describe`: started
 * before its tests, closed (and the database dropped) after them.
 */
export function consistencyAppFor(kind: DatabaseKind): { readonly app: ConsistencyApp } {
  const harness = new OutboxHarness();
  let app: ConsistencyApp | undefined;
  beforeAll(async () => {
    await harness.start();
    app = await ConsistencyApp.start(await harness.database(kind), harness.prefix);
  });
  afterAll(async () => {
    await app?.close();
    await harness.cleanup();
  });
  return {
    get app(): ConsistencyApp {
      if (!app) throw new Error('the consistency app did not start');
      return app;
    },
  };
}

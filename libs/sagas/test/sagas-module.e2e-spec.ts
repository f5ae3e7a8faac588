import { randomUUID } from 'node:crypto';
import { Injectable, Module } from '@nestjs/common';
import { CqrsModule, EventsHandler, type IEventHandler } from '@nestjs/cqrs';
import { Test } from '@nestjs/testing';
import type { INestApplicationContext } from '@nestjs/common';
import type { EntityManager } from 'typeorm';
import { DatabaseModule } from '@app/database';
import {
  SAGAS_SCHEMA,
  SAGA_RUNNER,
  type SagaEndHandler,
  SagaEndedEvent,
  SagaRunner,
  type SagaView,
  SagasHealthIndicator,
  SagasModule,
  defineSaga,
} from '@app/sagas';
import { MetricsRegistry, ServiceDefaultsModule } from '@app/service-defaults';
import { type TestDatabase, createSqliteDatabase } from '../../../tools/testing/test-databases';
import { TEST_REDIS_URL, uniqueTestPrefix } from '../../../tools/testing/test-redis';
import { withEnv } from '../../../tools/testing/with-env';

/** A saga of local steps only: no other service needed. */
const NOTE = defineSaga<{ readonly text: string; readonly noted?: boolean }>({
  name: 'note',
  steps: [{ name: 'note', run: (data) => ({ kind: 'succeeded', data: { ...data, noted: true } }) }],
});

/** The app's end handler: a provider of the module, with what it records and whether in a transaction. */
@Injectable()
class NoteEnds implements SagaEndHandler {
  static readonly ended: { view: SagaView; inTransaction: boolean }[] = [];

  async onEnd(view: SagaView, manager: EntityManager): Promise<void> {
    NoteEnds.ended.push({ view, inTransaction: manager.queryRunner?.isTransactionActive === true });
  }
}

/** An app's reaction to ends, on its EventBus. */
@EventsHandler(SagaEndedEvent)
class NoteEndedHandler implements IEventHandler<SagaEndedEvent> {
  static readonly heard: SagaView[] = [];

  handle(event: SagaEndedEvent): void {
    NoteEndedHandler.heard.push(event.view);
  }
}

describe('the sagas module', () => {
  let database: TestDatabase;
  let app: INestApplicationContext;

  beforeAll(async () => {
    database = createSqliteDatabase();
    @Module({
      imports: [
        ServiceDefaultsModule.forRoot({
          processName: 'sagas-test',
          defaultPort: 0,
          logStream: { write: () => undefined },
        }),
        DatabaseModule.forRoot({ processName: 'sagas-test', ...SAGAS_SCHEMA }),
        CqrsModule.forRoot(),
        SagasModule.forRoot({
          origin: 'orders',
          sagas: [NOTE],
          onEnd: NoteEnds,
          settings: { pollIntervalMs: 20, stuckAfterMs: 5_000 },
        }),
      ],
      providers: [NoteEndedHandler],
    })
    class AppModule {}
    const testing = await withEnv(
      { DATABASE_URL: database.url, REDIS_URL: TEST_REDIS_URL, REDIS_PREFIX: uniqueTestPrefix('sagas-module') },
      () => Test.createTestingModule({ imports: [AppModule] }).compile(),
    );
    app = testing.createNestApplication({ logger: false });
    await app.init();
  });

  afterAll(async () => {
    await app?.close();
    await database?.drop();
  });

  it('runs the app’s sagas, records their ends with its handler, publishes them on its EventBus, and counts them', async () => {
    const runner = app.get<SagaRunner>(SAGA_RUNNER);
    const text = randomUUID();
    const view = await runner.awaitEnd(await runner.begin(NOTE, { text }), 5_000);
    expect(view).toMatchObject({ status: 'COMPLETED', data: { text, noted: true } });
    expect(NoteEnds.ended.find((end) => end.view.id === view.id)).toMatchObject({ inTransaction: true });
    expect(NoteEndedHandler.heard.filter((heard) => heard.id === view.id)).toEqual([view]);
    const metrics = app.get(MetricsRegistry).registry;
    expect(await metrics.getSingleMetricAsString('sagas_instances_total')).toContain(
      'sagas_instances_total{saga="note",outcome="completed",service="sagas-test"} 1',
    );
  });

  it('gives readiness a check of its instances', async () => {
    const readiness = await app.get(SagasHealthIndicator).check();
    expect(readiness.sagas).toMatchObject({ status: 'up', inFlight: 0, stuck: [], stuckAfterMs: 5_000 });
  });
});

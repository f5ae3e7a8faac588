import { randomUUID } from 'node:crypto';
import { HealthIndicatorService } from '@nestjs/terminus';
import { Registry } from 'prom-client';
import type { EntityManager } from 'typeorm';
import type { UnitOfWork } from '@app/database';
import {
  type RedisStreamsSagaTransport,
  SagaError,
  SagaInstanceEntity,
  SagaRunner,
  type SagaView,
  SagasHealthIndicator,
} from '@app/sagas';
import { SagaTestStack, ledger, orderSaga } from './support/test-saga';

const ORDER = orderSaga();

describe.each(['sqlite', 'postgres'] as const)('a saga runner (%s)', (kind) => {
  const stack = new SagaTestStack(kind);
  let uow: UnitOfWork;
  const runners: SagaRunner[] = [];
  const transports: RedisStreamsSagaTransport[] = [];
  const ends: { view: SagaView; inTransaction: boolean }[] = [];

  function runner(options: { leaseMs?: number; metrics?: Registry } = {}): SagaRunner {
    const transport = stack.transport();
    transports.push(transport);
    const made = new SagaRunner({
      unitOfWork: uow,
      transport,
      origin: 'orders',
      sagas: [ORDER],
      pollIntervalMs: 50,
      leaseMs: options.leaseMs ?? 5_000,
      metrics: options.metrics,
      onEnd: async (view: SagaView, manager: EntityManager) => {
        ends.push({ view, inTransaction: manager.queryRunner?.isTransactionActive === true });
      },
    });
    made.start();
    runners.push(made);
    return made;
  }

  beforeAll(async () => {
    await stack.start();
    uow = stack.unitOfWork;
  });

  afterEach(() => ledger.reset());

  afterAll(async () => {
    await Promise.all(runners.splice(0).map((r) => r.close()));
    await Promise.all(transports.map((t) => t.close()));
    await stack.close();
  });

  it('runs every step in order and records the end with the service’s own writes', async () => {
    const sagas = runner();
    const orderId = randomUUID();
    const id = await sagas.begin(ORDER, { orderId });
    const view = await sagas.awaitEnd(id, 10_000);
    expect(view).toMatchObject({
      status: 'COMPLETED',
      step: 'approve',
      failure: null,
      data: { orderId, balanceCents: 100, approved: true },
    });
    expect(ledger.applied.get(orderId)).toEqual(['test.reserve', 'test.charge']);
    // What the replies said they committed, for the caller to report to its own client.
    expect(view.positions).toBe(`stock:product:${orderId}:1,wallet:customer:${orderId}:1`);
    expect(ends.find((end) => end.view.id === id)).toMatchObject({
      view: { status: 'COMPLETED' },
      inTransaction: true,
    });
    expect(view.history.map((line) => line.note)).toEqual([
      'start: reserve',
      'reserve: done; next charge',
      'charge: done; next approve',
      'approve: done; completed',
    ]);
  });

  it('sends nothing for an action whose command is null: the step succeeds at once', async () => {
    const sagas = runner();
    const orderId = randomUUID();
    const view = await sagas.awaitEnd(await sagas.begin(ORDER, { orderId, free: true }), 10_000);
    expect(view).toMatchObject({ status: 'COMPLETED', data: { orderId, free: true, approved: true } });
    expect(ledger.applied.get(orderId)).toEqual(['test.reserve']);
    expect(view.history.map((line) => line.note)).toContain('charge: done; next approve');
  });

  it('compensates the completed steps in reverse order when a step refuses', async () => {
    const sagas = runner();
    const orderId = randomUUID();
    ledger.refuse.add('test.charge');
    const view = await sagas.awaitEnd(await sagas.begin(ORDER, { orderId }), 10_000);
    expect(view).toMatchObject({ status: 'FAILED', failure: { step: 'charge', reason: 'INSUFFICIENT_FUNDS' } });
    expect(ledger.applied.get(orderId)).toEqual(['test.reserve', 'test.release']);
    // The same aggregate twice: its highest sequence is kept.
    expect(view.positions).toBe(`stock:product:${orderId}:2`);
  });

  it('tries a failing step again, with the same command id, and goes on once it answers', async () => {
    const sagas = runner();
    const orderId = randomUUID();
    ledger.failTimes.set('test.charge', 2);
    const view = await sagas.awaitEnd(await sagas.begin(ORDER, { orderId }), 10_000);
    expect(view.status).toBe('COMPLETED');
    expect(view.history.map((line) => line.note)).toContain(
      'charge: INTERNAL_ERROR: test.charge fails for now; try 2 of 3',
    );
    expect(ledger.commandIds.get(`test.charge:${orderId}`)?.size).toBe(1);
  });

  it('compensates a step that kept failing, itself included, and stops a compensation that keeps failing for a person to retry', async () => {
    const sagas = runner();
    const orderId = randomUUID();
    ledger.failTimes.set('test.charge', 3);
    ledger.failTimes.set('test.refund', 3);
    const stuck = await sagas.awaitEnd(await sagas.begin(ORDER, { orderId }), 10_000);
    expect(stuck).toMatchObject({
      status: 'COMPENSATION_FAILED',
      step: 'charge',
      failure: { step: 'charge', reason: 'STEP_FAILED' },
    });
    expect((await sagas.list('COMPENSATION_FAILED')).map((view) => view.id)).toContain(stuck.id);

    await sagas.retry(stuck.id);
    const view = await sagas.awaitEnd(stuck.id, 10_000);
    expect(view).toMatchObject({ status: 'FAILED', failure: { step: 'charge', reason: 'STEP_FAILED' } });
    expect(ledger.applied.get(orderId)).toEqual(['test.reserve', 'test.refund', 'test.release']);
    await expect(sagas.retry(stuck.id)).rejects.toMatchObject({ code: 'SAGA_NOT_RETRYABLE' });
    await expect(sagas.retry(randomUUID())).rejects.toThrow(SagaError);
  });

  /** A row as a runner left it: `status` at step `step`, its action due `dueAt`, leased until `leaseUntil`. */
  const leftBehind = (id: string, orderId: string, row: Partial<SagaInstanceEntity>) =>
    uow.transaction((manager) =>
      manager.insert(SagaInstanceEntity, {
        id,
        saga: ORDER.name,
        status: 'RUNNING',
        step: 1,
        attempt: 1,
        data: JSON.stringify({ orderId }),
        failureStep: null,
        failureReason: null,
        dueAt: Date.now() - 1_000,
        leaseOwner: 'a-runner-that-crashed',
        leaseUntil: Date.now() - 1,
        history: '[]',
        version: 3,
        createdAt: new Date(Date.now() - 2_000),
        updatedAt: new Date(Date.now() - 1_000),
        ...row,
      }),
    );

  it('resumes an instance another runner left under way once its lease ran out', async () => {
    const orderId = randomUUID();
    const id = randomUUID();
    // As a runner that crashed while charging left it: its lease over, its action due.
    await leftBehind(id, orderId, {});
    const sagas = runner();
    const view = await sagas.awaitEnd(id, 10_000);
    expect(view).toMatchObject({ status: 'COMPLETED', data: { orderId, approved: true } });
    expect(ledger.applied.get(orderId)).toEqual(['test.charge']);
  });

  it('advances each instance with one runner at a time: two runners, every command applied once', async () => {
    const [a, b] = [runner(), runner()];
    const orders = Array.from({ length: 20 }, () => randomUUID());
    const ids = await Promise.all(orders.map((orderId, i) => (i % 2 ? a : b).begin(ORDER, { orderId })));
    const views = await Promise.all(ids.map((id, i) => (i % 2 ? b : a).awaitEnd(id, 10_000)));
    expect(views.map((view) => view.status)).toEqual(orders.map(() => 'COMPLETED'));
    for (const orderId of orders) {
      expect(ledger.applied.get(orderId)).toEqual(['test.reserve', 'test.charge']);
      expect(ledger.commandIds.get(`test.reserve:${orderId}`)?.size).toBe(1);
    }
  });

  it('counts instances by outcome and step, and readiness names the stuck and the stopped', async () => {
    // This runner alone advances the instances: the metrics are its own.
    await Promise.all(runners.splice(0).map((other) => other.close()));
    const metrics = new Registry();
    const sagas = runner({ metrics });
    ledger.failTimes.set('test.reserve', 1);
    expect((await sagas.awaitEnd(await sagas.begin(ORDER, { orderId: randomUUID() }), 10_000)).status).toBe(
      'COMPLETED',
    );
    ledger.refuse.add('test.charge');
    expect((await sagas.awaitEnd(await sagas.begin(ORDER, { orderId: randomUUID() }), 10_000)).status).toBe('FAILED');
    const values = async (name: string) => (await metrics.getSingleMetric(name)?.get())?.values ?? [];
    expect((await values('sagas_instances_total')).map((v) => [v.labels.outcome, v.value]).sort()).toEqual([
      ['completed', 1],
      ['failed', 1],
    ]);
    expect((await values('sagas_retries_total')).map((v) => [v.labels.step, v.labels.phase, v.value])).toEqual([
      ['reserve', 'forward', 1],
    ]);
    expect((await values('sagas_compensations_total')).map((v) => [v.labels.step, v.value])).toEqual([['reserve', 1]]);

    // One held by a live runner whose action has been due for a minute; one stopped for a person.
    const [stuck, stopped] = [randomUUID(), randomUUID()];
    await leftBehind(stuck, randomUUID(), {
      dueAt: Date.now() - 60_000,
      leaseOwner: 'busy',
      leaseUntil: Date.now() + 600_000,
    });
    await leftBehind(stopped, randomUUID(), {
      status: 'COMPENSATION_FAILED',
      dueAt: null,
      leaseOwner: null,
      leaseUntil: null,
    });
    const readiness = await new SagasHealthIndicator(new HealthIndicatorService(), sagas, 30_000).check();
    expect(readiness.sagas).toMatchObject({ status: 'down', stuckAfterMs: 30_000 });
    expect(readiness.sagas?.stuck).toEqual([stuck]);
    expect(readiness.sagas?.compensationFailed).toContain(stopped);
    const gauge = (await values('sagas_instances')).filter((v) => v.labels.saga === ORDER.name);
    expect(gauge.find((v) => v.labels.status === 'RUNNING')?.value).toBeGreaterThanOrEqual(1);
    expect(gauge.find((v) => v.labels.status === 'COMPENSATION_FAILED')?.value).toBeGreaterThanOrEqual(1);
    await uow.transaction((manager) => manager.delete(SagaInstanceEntity, [stuck, stopped]));
    const healthy = await new SagasHealthIndicator(new HealthIndicatorService(), sagas, 30_000).check();
    expect(healthy.sagas?.status).toBe('up');
  });
});

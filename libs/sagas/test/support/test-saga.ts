import { Controller, type INestMicroservice, Module, type Type } from '@nestjs/common';
import { APP_FILTER, NestFactory } from '@nestjs/core';
import { MessagePattern, Payload } from '@nestjs/microservices';
import { RedisStreamsServer, STREAMS_ERRORS, currentReplyHeaders } from '@app/redis-streams';
import {
  DomainError,
  ERROR_CATALOG,
  SERVICE_ERRORS,
  ServiceExceptionFilter,
  mergeErrorCatalogs,
} from '@app/service-defaults';
import { DataSource } from 'typeorm';
import { UnitOfWork, parseDatabaseUrl, toDataSourceOptions } from '@app/database';
import { RedisStreamsSagaTransport, SAGAS_SCHEMA, type Saga, type StepResult, defineSaga } from '@app/sagas';
import { TEST_REDIS_URL, deleteTestKeys, uniqueTestPrefix } from '../../../../tools/testing/test-redis';
import {
  type TestDatabase,
  createPostgresDatabase,
  createSqliteDatabase,
} from '../../../../tools/testing/test-databases';

/**
 * The two services the test saga asks, keeping their state in memory, keyed by the order: stock
 * (reserve, release) and wallet (charge, refund). Each applies an order once, however often it
 * is asked, and can be told to refuse, to fail for a while, or to hold its first answer.
 */
export class Ledger {
  readonly applied = new Map<string, string[]>();
  readonly commandIds = new Map<string, Set<string>>();
  readonly calls = new Map<string, number>();
  refuse = new Set<string>();
  failTimes = new Map<string, number>();
  /** Called with the order when a pattern's first call has applied it; its answer waits for the promise returned. */
  holdFirst?: { pattern: string; until: (orderId: string) => Promise<void> };

  async take(pattern: string, request: { orderId: string; commandId: string }): Promise<void> {
    const left = this.failTimes.get(pattern) ?? 0;
    if (left > 0) {
      this.failTimes.set(pattern, left - 1);
      throw new DomainError('INTERNAL_ERROR', `${pattern} fails for now`);
    }
    const key = `${pattern}:${request.orderId}`;
    const ids = this.commandIds.get(key) ?? new Set();
    ids.add(request.commandId);
    this.commandIds.set(key, ids);
    const done = this.applied.get(request.orderId) ?? [];
    if (!done.includes(pattern)) done.push(pattern);
    this.applied.set(request.orderId, done);
    const calls = (this.calls.get(key) ?? 0) + 1;
    this.calls.set(key, calls);
    if (calls === 1 && this.holdFirst?.pattern === pattern) await this.holdFirst.until(request.orderId);
  }

  reset(): void {
    this.refuse.clear();
    this.failTimes.clear();
    this.holdFirst = undefined;
  }
}

export const ledger = new Ledger();

interface Request {
  readonly orderId: string;
  readonly commandId: string;
}

@Controller()
export class StockController {
  @MessagePattern('test.reserve')
  async reserve(@Payload() request: Request) {
    if (ledger.refuse.has('test.reserve')) return { status: 'REJECTED', reason: 'OUT_OF_STOCK' };
    await ledger.take('test.reserve', request);
    // What a service's outbox does after committing: the reply says which write it made.
    currentReplyHeaders()?.set('x-ficus-positions', `stock:product:${request.orderId}:1`);
    return { status: 'RESERVED' };
  }

  @MessagePattern('test.release')
  async release(@Payload() request: Request) {
    await ledger.take('test.release', request);
    currentReplyHeaders()?.set('x-ficus-positions', `stock:product:${request.orderId}:2`);
    return { status: 'RELEASED' };
  }
}

@Controller()
export class WalletController {
  @MessagePattern('test.charge')
  async charge(@Payload() request: Request) {
    if (ledger.refuse.has('test.charge')) return { status: 'REJECTED', reason: 'INSUFFICIENT_FUNDS' };
    await ledger.take('test.charge', request);
    currentReplyHeaders()?.set('x-ficus-positions', `wallet:customer:${request.orderId}:1`);
    return { status: 'CHARGED', balanceCents: 100 };
  }

  @MessagePattern('test.refund')
  async refund(@Payload() request: Request) {
    await ledger.take('test.refund', request);
    return { status: 'REFUNDED' };
  }
}

export interface OrderData {
  readonly orderId: string;
  readonly balanceCents?: number;
  readonly approved?: boolean;
  /** Nothing to charge: the charge and its refund send no command. */
  readonly free?: boolean;
}

const answered =
  (ok: string) =>
  (reply: unknown): StepResult<never> => {
    const { status, reason } = reply as { status: string; reason?: string };
    return status === ok ? { kind: 'succeeded' } : { kind: 'refused', reason: reason ?? status };
  };

/** The test saga: reserve (released), charge (refunded), approve (local). */
export function orderSaga(commandTimeoutMs = 2_000): Saga<OrderData> {
  return defineSaga<OrderData>({
    name: 'test-order',
    retry: { maxAttempts: 3, maxCompensationAttempts: 3, baseDelayMs: 5, maxDelayMs: 20 },
    commandTimeoutMs,
    steps: [
      {
        name: 'reserve',
        command: (data) => ({ service: 'stock', pattern: 'test.reserve', request: { orderId: data.orderId } }),
        reply: answered('RESERVED'),
        compensation: {
          command: (data) => ({ service: 'stock', pattern: 'test.release', request: { orderId: data.orderId } }),
        },
      },
      {
        name: 'charge',
        command: (data) =>
          data.free ? null : { service: 'wallet', pattern: 'test.charge', request: { orderId: data.orderId } },
        reply: (reply, data) => {
          const read = answered('CHARGED')(reply);
          if (read.kind === 'refused') return read;
          return {
            kind: 'succeeded',
            data: { ...data, balanceCents: (reply as { balanceCents: number }).balanceCents },
          };
        },
        compensation: {
          command: (data) =>
            data.free ? null : { service: 'wallet', pattern: 'test.refund', request: { orderId: data.orderId } },
        },
      },
      { name: 'approve', run: (data) => ({ kind: 'succeeded', data: { ...data, approved: true } }) },
    ],
  });
}

/** A service answering with `controllers` from `<prefix>req:<service>`, its errors keeping their codes. */
export async function startService(
  service: string,
  prefix: string,
  controllers: Type<unknown>[],
): Promise<INestMicroservice> {
  @Module({
    controllers,
    providers: [
      { provide: ERROR_CATALOG, useValue: mergeErrorCatalogs(SERVICE_ERRORS, STREAMS_ERRORS) },
      { provide: APP_FILTER, useClass: ServiceExceptionFilter },
    ],
  })
  class ServiceModule {}
  const strategy = new RedisStreamsServer({ service, url: TEST_REDIS_URL, prefix });
  const app = await NestFactory.createMicroservice(ServiceModule, { strategy, logger: false });
  await app.listen();
  return app;
}

/** What the saga tests run against: the two services over Redis and a database of the given kind, on a prefix of their own. */
export class SagaTestStack {
  readonly prefix = uniqueTestPrefix('sagas');
  private readonly services: INestMicroservice[] = [];
  private database?: TestDatabase;
  dataSource!: DataSource;
  unitOfWork!: UnitOfWork;

  constructor(private readonly kind: 'sqlite' | 'postgres') {}

  async start(): Promise<this> {
    this.services.push(await startService('stock', this.prefix, [StockController]));
    this.services.push(await startService('wallet', this.prefix, [WalletController]));
    this.database = this.kind === 'sqlite' ? createSqliteDatabase() : await createPostgresDatabase();
    this.dataSource = new DataSource(toDataSourceOptions(parseDatabaseUrl(this.database.url, 4), SAGAS_SCHEMA));
    await this.dataSource.initialize();
    this.unitOfWork = new UnitOfWork(this.dataSource);
    return this;
  }

  get databaseUrl(): string {
    if (!this.database) throw new Error('the stack is not started');
    return this.database.url;
  }

  /** A transport to the services, as the orders service would have it. */
  transport(): RedisStreamsSagaTransport {
    return new RedisStreamsSagaTransport({ origin: 'orders', url: TEST_REDIS_URL, prefix: this.prefix });
  }

  async close(): Promise<void> {
    ledger.reset();
    await Promise.all(this.services.map((service) => service.close()));
    await deleteTestKeys(this.prefix);
    await this.dataSource?.destroy();
    await this.database?.drop();
  }
}

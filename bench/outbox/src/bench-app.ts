import { Test, type TestingModule } from '@nestjs/testing';
import { DataSource } from 'typeorm';
import { DatabaseModule, UnitOfWork } from '@app/database';
import {
  OUTBOX_OPTIONS,
  OUTBOX_SCHEMA,
  OUTBOX_STREAMS_CLIENT,
  Outbox,
  OutboxModule,
  type OutboxOptions,
} from '@app/outbox';
import { RedisStreamsClient } from '@app/redis-streams';
import { BenchOrderEntity, BenchOrders1765000000000 } from './bench-order';
import type { BenchConfig } from './config';
import type { BenchDatabase } from './databases';
import { TimedStreamsClient } from './timed-streams-client';

export const ORIGIN = 'bench';

/** Sets environment variables while `work` runs: the libraries read their configuration from there. */
async function withEnv<T>(vars: Record<string, string>, work: () => Promise<T>): Promise<T> {
  const saved = Object.fromEntries(Object.keys(vars).map((name) => [name, process.env[name]]));
  Object.assign(process.env, vars);
  try {
    return await work();
  } finally {
    for (const [name, value] of Object.entries(saved)) {
      if (value === undefined) delete process.env[name];
      else process.env[name] = value;
    }
  }
}

/**
 * A service with the outbox, built as services build it (`DatabaseModule` with the outbox's
 * schema, `OutboxModule` with its configuration from the environment; the relay starts on
 * bootstrap), plus a Redis-streams client of its own for publishing directly.
 */
export class BenchApp {
  private constructor(
    private readonly module: TestingModule,
    readonly database: BenchDatabase,
    /** The client the direct way emits with (not the relay's). */
    readonly directClient: RedisStreamsClient,
  ) {}

  static async start(database: BenchDatabase, config: BenchConfig): Promise<BenchApp> {
    const builder = Test.createTestingModule({
      imports: [
        DatabaseModule.forRoot({
          processName: 'bench-outbox',
          entities: [BenchOrderEntity, ...OUTBOX_SCHEMA.entities],
          migrations: [...OUTBOX_SCHEMA.migrations, BenchOrders1765000000000],
        }),
        // The purger deletes nothing younger than a day; kept off so that it never runs during a round.
        OutboxModule.forRoot({ origin: ORIGIN, settings: { startPurger: false } }),
      ],
    })
      .overrideProvider(OUTBOX_STREAMS_CLIENT)
      .useFactory({
        factory: (options: OutboxOptions) =>
          new TimedStreamsClient({ origin: options.origin, url: options.redisUrl, prefix: options.redisPrefix }),
        inject: [OUTBOX_OPTIONS],
      });
    const env = { DATABASE_URL: database.url, REDIS_URL: config.redisUrl, REDIS_PREFIX: config.prefix };
    const module = await withEnv(env, async () => {
      const compiled = await builder.compile();
      compiled.useLogger(['error', 'warn']);
      return compiled.init();
    });
    const directClient = new RedisStreamsClient({ origin: ORIGIN, url: config.redisUrl, prefix: config.prefix });
    await directClient.connect();
    return new BenchApp(module, database, directClient);
  }

  get uow(): UnitOfWork {
    return this.module.get(UnitOfWork);
  }

  get outbox(): Outbox {
    return this.module.get(Outbox);
  }

  get relayClient(): TimedStreamsClient {
    return this.module.get(OUTBOX_STREAMS_CLIENT);
  }

  get options(): OutboxOptions {
    return this.module.get(OUTBOX_OPTIONS);
  }

  get poolSize(): number | null {
    const options = this.module.get(DataSource).options;
    return options.type === 'postgres' ? (options.poolSize ?? null) : null;
  }

  async close(): Promise<void> {
    await this.directClient.close();
    await this.module.close();
  }
}

import { randomUUID } from 'node:crypto';
import { DataSource, type EntityManager } from 'typeorm';
import { UnitOfWork, parseDatabaseUrl, toDataSourceOptions } from '@app/database';
import {
  IDEMPOTENCY_SCHEMA,
  IdempotencyKeyPositions1765200000000,
  IdempotentExecutor,
  type IdempotencyPositions,
  type IdempotentRequest,
  requestFingerprint,
} from '@app/idempotency';
import { type TestDatabase, createPostgresDatabase, createSqliteDatabase } from '../../../tools/testing/test-databases';

const CONFIG = { ttlMs: 24 * 3_600_000 };
/** The schema as it was before keys kept positions. */
const BEFORE_POSITIONS = IDEMPOTENCY_SCHEMA.migrations.filter((m) => m !== IdempotencyKeyPositions1765200000000);

/** The outbox's part, played by the test: `capture` answers `next`; what each call saw is recorded. */
class RecordedPositions implements IdempotencyPositions {
  next: string | undefined;
  readonly captures: { inTransaction: boolean; afterWork: boolean }[] = [];
  readonly replayed: string[] = [];
  workDone = false;

  capture(manager: EntityManager): string | undefined {
    this.captures.push({ inTransaction: manager.queryRunner?.isTransactionActive === true, afterWork: this.workDone });
    return this.next;
  }

  replay(positions: string): void {
    this.replayed.push(positions);
  }
}

const deposit = (principalId = randomUUID(), key = `key-${randomUUID()}`): IdempotentRequest => ({
  principalId,
  key,
  operation: 'deposit',
  target: principalId,
  body: { amountCents: 700 },
});

describe.each(['sqlite', 'postgres'] as const)('the positions an Idempotency-Key keeps (%s)', (kind) => {
  let database: TestDatabase;
  let dataSource: DataSource;
  let uow: UnitOfWork;
  const storedBefore = deposit();
  const options = (migrations: typeof BEFORE_POSITIONS) =>
    toDataSourceOptions(parseDatabaseUrl(database.url, 4), { entities: IDEMPOTENCY_SCHEMA.entities, migrations });
  /** The statement with `?` placeholders as the database wants them. */
  const sql = (text: string) => {
    let n = 0;
    return kind === 'postgres' ? text.replace(/\?/g, () => `$${++n}`) : text;
  };
  const positionsOf = async (request: IdempotentRequest) => {
    const rows = (await dataSource.query(
      sql('SELECT positions FROM idempotency_keys WHERE principal_id = ? AND key = ?'),
      [request.principalId, request.key],
    )) as { positions: string | null }[];
    return rows.map((row) => row.positions);
  };

  beforeAll(async () => {
    database = kind === 'postgres' ? await createPostgresDatabase() : createSqliteDatabase();
    const before = new DataSource(options(BEFORE_POSITIONS));
    await before.initialize();
    await before.query(
      sql(`INSERT INTO idempotency_keys (principal_id, key, fingerprint, response_status, response_body, created_at)
       VALUES (?, ?, ?, ?, ?, ?)`),
      [
        storedBefore.principalId,
        storedBefore.key,
        requestFingerprint(storedBefore.operation, storedBefore.target, storedBefore.body),
        201,
        JSON.stringify({ balanceCents: 700 }),
        new Date().toISOString(),
      ],
    );
    await before.destroy();
    dataSource = new DataSource(options(IDEMPOTENCY_SCHEMA.migrations));
    await dataSource.initialize();
    uow = new UnitOfWork(dataSource);
  });
  afterAll(async () => {
    await dataSource?.destroy();
    await database?.drop();
  });

  /** An executor with the test's positions. */
  const withPositions = () => {
    const positions = new RecordedPositions();
    return { executor: new IdempotentExecutor(uow, CONFIG, positions), positions };
  };
  const neverRuns = (): Promise<never> => Promise.reject(new Error('a replay must not run the work'));

  it('replays a key stored before the column with its response, and reports no positions', async () => {
    const { executor, positions } = withPositions();

    await expect(executor.run(storedBefore, neverRuns)).resolves.toEqual({ balanceCents: 700 });

    expect(await positionsOf(storedBefore)).toEqual([null]);
    expect(positions.replayed).toEqual([]);
  });

  it("keeps what capture returned in the key's transaction, after the work, and hands it to every replay", async () => {
    const { executor, positions } = withPositions();
    const request = deposit();
    positions.next = `payments:customer:${request.principalId}:3`;

    const first = await executor.run(request, async () => {
      positions.workDone = true;
      return { balanceCents: 1_400 };
    });
    positions.next = 'never asked again';
    const replays = [await executor.run(request, neverRuns), await executor.run(request, neverRuns)];

    expect(first).toEqual({ balanceCents: 1_400 });
    expect(replays).toEqual([first, first]);
    expect(positions.captures).toEqual([{ inTransaction: true, afterWork: true }]);
    expect(await positionsOf(request)).toEqual([`payments:customer:${request.principalId}:3`]);
    expect(positions.replayed).toEqual([
      `payments:customer:${request.principalId}:3`,
      `payments:customer:${request.principalId}:3`,
    ]);
  });

  it('keeps nothing when the transaction committed no positions, and its replays report none', async () => {
    const { executor, positions } = withPositions();
    const request = deposit();

    await executor.run(request, async () => ({ balanceCents: 0 }));
    await expect(executor.run(request, neverRuns)).resolves.toEqual({ balanceCents: 0 });

    expect(positions.captures).toHaveLength(1);
    expect(await positionsOf(request)).toEqual([null]);
    expect(positions.replayed).toEqual([]);
  });

  it('keeps nothing of a failed attempt: its retry runs and captures anew', async () => {
    const { executor, positions } = withPositions();
    const request = deposit();
    positions.next = 'payments:customer:c1:1';

    await expect(
      executor.run(request, async () => {
        throw new Error('refused');
      }),
    ).rejects.toThrow('refused');
    positions.next = 'payments:customer:c1:2';
    await executor.run(request, async () => ({ balanceCents: 5 }));
    await executor.run(request, neverRuns);

    expect(positions.replayed).toEqual(['payments:customer:c1:2']);
  });

  it('without a provider (no outbox), keeps no positions and replays as before', async () => {
    const executor = new IdempotentExecutor(uow, CONFIG);
    const request = deposit();

    const first = await executor.run(request, async () => ({ balanceCents: 9 }));

    await expect(executor.run(request, neverRuns)).resolves.toEqual(first);
    expect(await positionsOf(request)).toEqual([null]);
  });

  it('adds positions as a nullable text column, keeping the index of the table, and is undone by dropping it', async () => {
    const keys = async () =>
      Number(((await dataSource.query('SELECT COUNT(*) AS n FROM idempotency_keys')) as { n: unknown }[])[0]?.n);
    const shape = async () => {
      const queryRunner = dataSource.createQueryRunner();
      const table = await queryRunner.getTable('idempotency_keys').finally(() => queryRunner.release());
      return {
        positions: table?.columns.find((column) => column.name === 'positions')?.isNullable,
        columns: table?.columns.length,
        indices: table?.indices.map((index) => index.name),
        keys: await keys(),
      };
    };
    const migrated = await shape();

    await dataSource.undoLastMigration({ transaction: 'each' });
    const undone = await shape();
    await dataSource.runMigrations({ transaction: 'each' });

    expect(migrated).toMatchObject({ positions: true, columns: 7, indices: ['ix_idempotency_keys_created'] });
    expect(undone).toEqual({ ...migrated, positions: undefined, columns: 6 });
    expect(await shape()).toEqual(migrated);
    expect(await positionsOf(storedBefore)).toEqual([null]);
  });
});

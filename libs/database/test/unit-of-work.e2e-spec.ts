import { DataSource } from 'typeorm';
import { UnitOfWork, parseDatabaseUrl, toDataSourceOptions } from '@app/database';
import { type TestDatabase, createPostgresDatabase, createSqliteDatabase } from '../../../tools/testing/test-databases';

describe.each(['sqlite', 'postgres'] as const)('UnitOfWork.afterCommit (%s)', (kind) => {
  let database: TestDatabase;
  let dataSource: DataSource;
  let uow: UnitOfWork;

  beforeAll(async () => {
    database = kind === 'postgres' ? await createPostgresDatabase() : createSqliteDatabase();
    dataSource = new DataSource(
      toDataSourceOptions(parseDatabaseUrl(database.url, 2), { entities: [], migrations: [] }),
    );
    await dataSource.initialize();
    await dataSource.query('CREATE TABLE notes (text varchar(50))');
    uow = new UnitOfWork(dataSource);
  });
  afterAll(async () => {
    await dataSource.destroy();
    await database.drop();
  });

  const count = async () =>
    Number(((await dataSource.query('SELECT COUNT(*) AS n FROM notes')) as { n: unknown }[])[0]?.n);

  it('runs hooks in order once the transaction has committed, when its writes are visible', async () => {
    const seen: string[] = [];
    await uow.transaction(async (manager) => {
      await manager.query("INSERT INTO notes VALUES ('a')");
      uow.afterCommit(manager, () => seen.push('first'));
      uow.afterCommit(manager, () => {
        throw new Error('a failing hook is logged and does not stop the others');
      });
      uow.afterCommit(manager, () => seen.push('second'));
      expect(seen).toEqual([]);
    });
    expect(seen).toEqual(['first', 'second']);
    expect(await count()).toBe(1);
  });

  it('never runs them after a rollback', async () => {
    const seen: string[] = [];
    await expect(
      uow.transaction(async (manager) => {
        await manager.query("INSERT INTO notes VALUES ('b')");
        uow.afterCommit(manager, () => seen.push('hook'));
        throw new Error('rolled back');
      }),
    ).rejects.toThrow('rolled back');
    expect(seen).toEqual([]);
    expect(await count()).toBe(1);
  });

  it('refuses a manager that is not in a running transaction', () => {
    expect(() => uow.afterCommit(dataSource.manager, () => undefined)).toThrow(
      'afterCommit() needs the manager of a running UnitOfWork.transaction()',
    );
  });
});

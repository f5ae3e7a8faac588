import { type ChildProcess, fork } from 'node:child_process';
import { join } from 'node:path';
import { DataSource } from 'typeorm';
import { DatabaseError, UnitOfWork, parseDatabaseUrl, toDataSourceOptions } from '@app/database';
import { type TestDatabase, createSqliteDatabase } from '../../../tools/testing/test-databases';

type Reply = { type: string; code?: string; message?: string };

/** Another process with the same SQLite file open (test/fixture/sqlite-writer.mjs). */
class OtherProcess {
  private readonly replies: Reply[] = [];
  private waiting: ((reply: Reply) => void) | undefined;

  private constructor(private readonly child: ChildProcess) {
    child.on('message', (reply: Reply) => {
      const waiting = this.waiting;
      this.waiting = undefined;
      if (waiting) waiting(reply);
      else this.replies.push(reply);
    });
  }

  static async start(file: string): Promise<OtherProcess> {
    const other = new OtherProcess(fork(join(__dirname, 'fixture', 'sqlite-writer.mjs'), [file]));
    expect(await other.next()).toEqual({ type: 'ready' });
    return other;
  }

  /** Its next reply. */
  next(): Promise<Reply> {
    const queued = this.replies.shift();
    return queued ? Promise.resolve(queued) : new Promise((resolve) => (this.waiting = resolve));
  }

  ask(command: Record<string, unknown>): Promise<Reply> {
    this.child.send(command);
    return this.next();
  }

  async stop(): Promise<void> {
    const exited = new Promise((resolve) => this.child.once('exit', resolve));
    this.child.disconnect();
    await exited;
  }
}

describe('SQLite while another process writes to the same file', () => {
  let database: TestDatabase;
  let path: string;
  let dataSource: DataSource;
  let other: OtherProcess;

  /** The file as a process of ours opens it, with `DATABASE_BUSY_TIMEOUT_MS` = `busyTimeoutMs`. */
  async function open(busyTimeoutMs: number): Promise<UnitOfWork> {
    const config = parseDatabaseUrl(database.url, 1, busyTimeoutMs);
    dataSource = new DataSource(toDataSourceOptions(config, { entities: [], migrations: [] }));
    await dataSource.initialize();
    await dataSource.query('CREATE TABLE IF NOT EXISTS notes (id INTEGER PRIMARY KEY, text TEXT NOT NULL)');
    other = await OtherProcess.start(path);
    return new UnitOfWork(dataSource);
  }

  const notes = async () =>
    ((await dataSource.query('SELECT text FROM notes ORDER BY id')) as { text: string }[]).map((row) => row.text);
  const writeOurs = (uow: UnitOfWork) =>
    uow.transaction((manager) => manager.query("INSERT INTO notes (text) VALUES ('ours')"));

  beforeEach(() => {
    database = createSqliteDatabase();
    path = database.url.slice('sqlite:'.length);
  });
  afterEach(async () => {
    await other?.stop();
    await dataSource?.destroy();
    await database.drop();
  });

  it('waits while the other process holds the write lock, and writes once it commits', async () => {
    const uow = await open(5_000);
    expect(await other.ask({ type: 'hold', text: 'theirs', commitAfterMs: 300 })).toEqual({ type: 'holding' });

    await writeOurs(uow);

    expect(await other.next()).toEqual({ type: 'committed' });
    // Ours is the later row: it was written after theirs committed.
    expect(await notes()).toEqual(['theirs', 'ours']);
  });

  it('gives up after DATABASE_BUSY_TIMEOUT_MS with DATABASE_BUSY, having written nothing; a retry then writes', async () => {
    const uow = await open(200);
    expect(await other.ask({ type: 'hold', text: 'theirs' })).toEqual({ type: 'holding' });

    const failure = await writeOurs(uow).catch((error: unknown) => error);

    expect(failure).toBeInstanceOf(DatabaseError);
    expect(failure).toMatchObject({
      code: 'DATABASE_BUSY',
      message:
        `The SQLite database ${path} stayed locked by another process's write for 200 ms ` +
        '(DATABASE_BUSY_TIMEOUT_MS); nothing was written. Try again once that write is done, or wait longer.',
    });
    expect(await other.ask({ type: 'commit' })).toEqual({ type: 'committed' });
    expect(await notes()).toEqual(['theirs']);
    // Trying again once the lock is free works.
    await writeOurs(uow);
    expect(await notes()).toEqual(['theirs', 'ours']);
  });

  it('commits a transaction that read before the other process wrote (the write lock is taken at its start)', async () => {
    const uow = await open(5_000);
    let theirs: Reply | undefined;

    await uow.transaction(async (manager) => {
      await manager.query('SELECT COUNT(*) AS n FROM notes');
      // A deferred transaction would let this write commit, then fail at once on its own.
      theirs = await other.ask({ type: 'write', text: 'theirs', busyTimeoutMs: 100 });
      await manager.query("INSERT INTO notes (text) VALUES ('ours')");
    });

    expect(theirs).toMatchObject({ type: 'failed', code: 'SQLITE_BUSY' });
    expect(await notes()).toEqual(['ours']);
  });
  it('fails at once with DATABASE_BUSY for work that must not wait, and keeps the wait for the rest', async () => {
    const uow = await open(5_000);
    expect(await other.ask({ type: 'hold', text: 'theirs' })).toEqual({ type: 'holding' });

    // The other process never commits while this runs: a wait would time out after 5 s, not fail.
    const failure = await uow
      .transactionUnlessBusy((manager) => manager.query("INSERT INTO notes (text) VALUES ('background')"))
      .catch((error: unknown) => error);
    expect(failure).toMatchObject({ code: 'DATABASE_BUSY' });
    expect(await dataSource.query('PRAGMA busy_timeout')).toEqual([{ timeout: 5_000 }]);

    expect(await other.ask({ type: 'commit' })).toEqual({ type: 'committed' });
    await writeOurs(uow);
    expect(await notes()).toEqual(['theirs', 'ours']);
  });
});

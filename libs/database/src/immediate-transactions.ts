import BetterSqlite3 from 'better-sqlite3';

/** How TypeORM begins a transaction on SQLite (`AbstractSqliteQueryRunner.startTransaction`). */
const TYPEORM_BEGIN = 'BEGIN TRANSACTION';
const IMMEDIATE_BEGIN = 'BEGIN IMMEDIATE TRANSACTION';

/**
 * better-sqlite3, given to TypeORM as its `driver`, on which every transaction TypeORM begins
 * takes SQLite's write lock at once (`BEGIN IMMEDIATE`), waiting for it up to the busy timeout.
 *
 * TypeORM begins deferred transactions. One that has read and then writes after another
 * process committed a write fails at once with `SQLITE_BUSY_SNAPSHOT` ("database is locked"):
 * its snapshot is stale, so SQLite does not wait, whatever the busy timeout. Taking the lock
 * before the first read makes it wait for the other process instead. In a process, SQLite's
 * transactions already run one at a time (`UnitOfWork`), so this costs nothing there.
 */
export class ImmediateTransactionsDatabase extends BetterSqlite3 {
  // eslint-disable-next-line @typescript-eslint/no-empty-object-type -- better-sqlite3's own signature
  override prepare<BindParameters extends unknown[] | {} = unknown[], Result = unknown>(source: string) {
    return super.prepare<BindParameters, Result>(source === TYPEORM_BEGIN ? IMMEDIATE_BEGIN : source);
  }
}

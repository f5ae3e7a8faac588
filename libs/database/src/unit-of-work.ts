import { Injectable, Logger } from '@nestjs/common';
import { DataSource, EntityManager, EntityTarget, FindManyOptions, FindOneOptions, ObjectLiteral } from 'typeorm';
import { DEFAULT_BUSY_TIMEOUT_MS } from './database.config';
import { isDatabaseBusy, isTransientConflict } from './db-errors';
import { DatabaseError } from './errors';
import { SerialQueue } from './serial-queue';

const MAX_ATTEMPTS = 3;

type CommitHook = () => void;

/**
 * The one way use cases reach the database.
 *
 * - `transaction(work)` runs `work` in a database transaction, committed when it
 *   resolves and rolled back when it throws. On PostgreSQL a transaction the server
 *   aborted to break a deadlock is run again (at most 3 attempts), so `work` must only
 *   touch the database.
 * - `read(work)` runs queries that need no transaction.
 *
 * SQLite (better-sqlite3) has one connection, on which interleaved transactions would
 * nest into each other; there, every `transaction` and `read` runs one at a time, so
 * no read ever sees another request's uncommitted writes. Never call `transaction` or
 * `read` from inside `work`: use the `manager` it gets. When another process holds the
 * file's write lock, a transaction waits for it (`DATABASE_BUSY_TIMEOUT_MS`), then fails
 * with `DatabaseError` `DATABASE_BUSY`.
 *
 * `afterCommit(manager, hook)` runs `hook` once the transaction of `manager` has committed
 * (never when it rolls back, nor for an attempt that was run again).
 */
@Injectable()
export class UnitOfWork {
  private readonly serial: SerialQueue | undefined;
  private readonly commitHooks = new WeakMap<EntityManager, CommitHook[]>();
  private readonly logger = new Logger(UnitOfWork.name);

  constructor(private readonly dataSource: DataSource) {
    this.serial = dataSource.options.type === 'better-sqlite3' ? new SerialQueue() : undefined;
  }

  /** Whether `SELECT … FOR UPDATE` is available (PostgreSQL); SQLite serialises instead. */
  get hasRowLocks(): boolean {
    return this.serial === undefined;
  }

  /** Reads one row and, where the database can, locks it until the transaction ends. */
  findOneForUpdate<T extends ObjectLiteral>(
    manager: EntityManager,
    entity: EntityTarget<T>,
    options: FindOneOptions<T>,
  ): Promise<T | null> {
    return manager.findOne(entity, this.hasRowLocks ? { ...options, lock: { mode: 'pessimistic_write' } } : options);
  }

  /** Reads rows and, where the database can, locks them until the transaction ends. */
  findForUpdate<T extends ObjectLiteral>(
    manager: EntityManager,
    entity: EntityTarget<T>,
    options: FindManyOptions<T>,
  ): Promise<T[]> {
    return manager.find(entity, this.hasRowLocks ? { ...options, lock: { mode: 'pessimistic_write' } } : options);
  }

  /**
   * Runs `hook` after the transaction `manager` belongs to commits. Hooks run in the order
   * they were added; one that throws is logged and does not stop the others (the work stands).
   */
  afterCommit(manager: EntityManager, hook: CommitHook): void {
    const hooks = this.commitHooks.get(manager);
    if (!hooks) throw new Error('afterCommit() needs the manager of a running UnitOfWork.transaction()');
    hooks.push(hook);
  }

  transaction<T>(work: (manager: EntityManager) => Promise<T>): Promise<T> {
    return this.serial ? this.serial.run(() => this.attempt(work, 1)) : this.attempt(work, MAX_ATTEMPTS);
  }

  private async attempt<T>(work: (manager: EntityManager) => Promise<T>, remaining: number): Promise<T> {
    let hooks: CommitHook[] = [];
    try {
      const result = await this.dataSource.transaction((manager) => {
        this.commitHooks.set(manager, (hooks = []));
        return work(manager);
      });
      this.runHooks(hooks);
      return result;
    } catch (error) {
      if (remaining > 1 && isTransientConflict(error)) return this.attempt(work, remaining - 1);
      throw this.busy(error);
    }
  }

  /**
   * {@link transaction}, for background work that tries again later (an outbox relay): on
   * SQLite it does not wait when another connection holds the file's write lock but fails at once
   * with `DatabaseError` `DATABASE_BUSY`. better-sqlite3 waits on the thread, so a wait would stop
   * every other request of the process meanwhile, and in a process with two connections to one
   * file (tests) the holder could not finish while the waiter blocks it. Same as `transaction` on
   * PostgreSQL.
   */
  transactionUnlessBusy<T>(work: (manager: EntityManager) => Promise<T>): Promise<T> {
    const serial = this.serial;
    if (!serial) return this.transaction(work);
    return serial.run(async () => {
      await this.dataSource.query('PRAGMA busy_timeout = 0');
      try {
        return await this.attempt(work, 1);
      } finally {
        await this.dataSource.query(`PRAGMA busy_timeout = ${this.busyTimeoutMs}`);
      }
    });
  }

  /** How long a SQLite statement waits for another connection's write lock (`DATABASE_BUSY_TIMEOUT_MS`). */
  private get busyTimeoutMs(): number {
    const options = this.dataSource.options;
    return (options.type === 'better-sqlite3' ? options.timeout : undefined) ?? DEFAULT_BUSY_TIMEOUT_MS;
  }

  /** SQLite's "database is locked" as `DATABASE_BUSY`, saying which file, how long it waited and what to do. */
  private busy(error: unknown): unknown {
    const options = this.dataSource.options;
    if (options.type !== 'better-sqlite3' || !isDatabaseBusy(error)) return error;
    return new DatabaseError(
      'DATABASE_BUSY',
      `The SQLite database ${options.database} stayed locked by another process's write for ${this.busyTimeoutMs} ms ` +
        '(DATABASE_BUSY_TIMEOUT_MS); nothing was written. Try again once that write is done, or wait longer.',
      { cause: error },
    );
  }

  private runHooks(hooks: readonly CommitHook[]): void {
    for (const hook of hooks) {
      try {
        hook();
      } catch (error) {
        this.logger.error({ err: error }, 'A hook run after a commit failed');
      }
    }
  }

  read<T>(work: (manager: EntityManager) => Promise<T>): Promise<T> {
    if (!this.serial) return work(this.dataSource.manager);
    return this.serial.run(() =>
      work(this.dataSource.manager).catch((error: unknown) => {
        throw this.busy(error);
      }),
    );
  }
}

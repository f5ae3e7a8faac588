import { Injectable, OnModuleDestroy, OnModuleInit } from '@nestjs/common';
import {
  DataSource,
  EntitySubscriberInterface,
  QueryRunner,
  TransactionCommitEvent,
  TransactionRollbackEvent,
} from 'typeorm';

/**
 * Tells the relay when a transaction that added outbox rows has committed, so that it
 * publishes them at once instead of at its next poll. A TypeORM subscriber on the
 * DataSource (both drivers broadcast commits and rollbacks); the outbox marks the query
 * runners that added rows.
 */
@Injectable()
export class OutboxCommitListener implements EntitySubscriberInterface, OnModuleInit, OnModuleDestroy {
  private readonly adding = new WeakSet<QueryRunner>();
  private readonly listeners = new Set<() => void>();

  constructor(private readonly dataSource: DataSource) {}

  onModuleInit(): void {
    this.dataSource.subscribers.push(this);
  }

  onModuleDestroy(): void {
    const index = this.dataSource.subscribers.indexOf(this);
    if (index >= 0) this.dataSource.subscribers.splice(index, 1);
  }

  /** Calls `listener` after each commit that added rows; returns the function that stops it. */
  onRowsCommitted(listener: () => void): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  /** The transaction of `queryRunner` added rows. */
  track(queryRunner: QueryRunner): void {
    this.adding.add(queryRunner);
  }

  afterTransactionCommit(event: TransactionCommitEvent): void {
    // A released savepoint is not the commit: the outer transaction may still roll back.
    if (event.queryRunner.isTransactionActive) return;
    if (!this.adding.delete(event.queryRunner)) return;
    for (const listener of this.listeners) listener();
  }

  afterTransactionRollback(event: TransactionRollbackEvent): void {
    if (!event.queryRunner.isTransactionActive) this.adding.delete(event.queryRunner);
  }
}

import { Injectable, Logger, OnModuleDestroy, OnModuleInit } from '@nestjs/common';
import {
  DataSource,
  EntitySubscriberInterface,
  QueryRunner,
  TransactionCommitEvent,
  TransactionRollbackEvent,
} from 'typeorm';
import type { Position } from '@app/contracts';
import { outsideRequestPositions } from './consistency/request-positions';

/**
 * Tells the relay when a transaction that added outbox rows has committed, so that it
 * publishes them at once instead of at its next poll, and runs what the outbox and inbox left
 * for after a transaction's commit (a request's positions, waking requests awaiting an apply).
 * Keeps, while a transaction runs, the positions it numbered (for an idempotency key's record).
 * A TypeORM subscriber on the DataSource (both drivers broadcast commits and rollbacks); the
 * outbox marks the query runners that added rows. A released savepoint is not a commit; a
 * savepoint rolled back inside a transaction that commits is not told apart (none is used).
 */
@Injectable()
export class OutboxCommitListener implements EntitySubscriberInterface, OnModuleInit, OnModuleDestroy {
  private readonly adding = new WeakSet<QueryRunner>();
  private readonly listeners = new Set<() => void>();
  private readonly actions = new WeakMap<QueryRunner, (() => void)[]>();
  private readonly numbered = new WeakMap<QueryRunner, Map<string, Position>>();
  private readonly logger = new Logger('OutboxCommitListener');

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

  /** The transaction of `queryRunner` numbered `position` (forgotten when it ends). */
  number(queryRunner: QueryRunner, position: Position): void {
    let positions = this.numbered.get(queryRunner);
    if (!positions) this.numbered.set(queryRunner, (positions = new Map()));
    // Numbers only grow within a transaction: the last of an aggregate is its highest.
    positions.set(`${position.origin}:${position.aggregateType}:${position.aggregateId}`, position);
  }

  /** What the running transaction of `queryRunner` numbered so far: the highest of each aggregate, in the order first numbered. */
  numberedIn(queryRunner: QueryRunner): readonly Position[] {
    return [...(this.numbered.get(queryRunner)?.values() ?? [])];
  }

  /** Runs `action` once the transaction of `queryRunner` has committed; never if it rolls back. */
  afterCommit(queryRunner: QueryRunner, action: () => void): void {
    const actions = this.actions.get(queryRunner);
    if (actions) actions.push(action);
    else this.actions.set(queryRunner, [action]);
  }

  afterTransactionCommit(event: TransactionCommitEvent): void {
    // A released savepoint is not the commit: the outer transaction may still roll back.
    if (event.queryRunner.isTransactionActive) return;
    this.numbered.delete(event.queryRunner);
    const actions = this.actions.get(event.queryRunner);
    if (actions) {
      this.actions.delete(event.queryRunner);
      for (const action of actions) this.run(action);
    }
    if (!this.adding.delete(event.queryRunner)) return;
    // The relay's timers, armed from here, must not keep the committing request's store.
    outsideRequestPositions(() => {
      for (const listener of this.listeners) listener();
    });
  }

  afterTransactionRollback(event: TransactionRollbackEvent): void {
    if (event.queryRunner.isTransactionActive) return;
    this.adding.delete(event.queryRunner);
    this.actions.delete(event.queryRunner);
    this.numbered.delete(event.queryRunner);
  }

  /** The transaction stands whatever an action does: a failure is logged, and the others run. */
  private run(action: () => void): void {
    try {
      action();
    } catch (error) {
      this.logger.error({ err: error }, 'An action run after a commit failed');
    }
  }
}

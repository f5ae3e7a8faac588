import { Injectable } from '@nestjs/common';
import type { EntityManager } from 'typeorm';
import { UnitOfWork } from '@app/database';
import { ReservationLineEntity } from './reservation-line.entity';
import { ReservationEntity, ReservationStatus } from './reservation.entity';

/**
 * The reservations table's serialisation point: every command on an order starts by
 * claiming the order's row, so that two commands on one order run one after the other.
 */
@Injectable()
export class ReservationStore {
  constructor(private readonly uow: UnitOfWork) {}

  /**
   * Inserts the order's reservation row unless one exists, and says whether this
   * transaction made it. On PostgreSQL a concurrent claim of the same order waits until the
   * first transaction ends (then finds its row, committed); on SQLite transactions run one
   * at a time anyway.
   */
  async claim(manager: EntityManager, orderId: string, status: ReservationStatus, at: Date): Promise<boolean> {
    const queryRunner = manager.queryRunner;
    if (!queryRunner?.isTransactionActive) throw new Error('ReservationStore.claim() needs a running transaction');
    const postgres = manager.connection.options.type === 'postgres';
    const values = postgres ? '$1, $2, NULL, $3, $3' : '?, ?, NULL, ?, ?';
    const result = await queryRunner.query(
      `INSERT INTO reservations (order_id, status, reply, created_at, updated_at) VALUES (${values})
       ON CONFLICT (order_id) DO NOTHING RETURNING order_id`,
      postgres ? [orderId, status, at.toISOString()] : [orderId, status, at.toISOString(), at.toISOString()],
      true,
    );
    return ((result.records as unknown[] | undefined) ?? []).length === 1;
  }

  /**
   * Claims the order's row with `status` unless one exists, then reads it, locked until the
   * transaction ends. `created` says whether this transaction made it.
   */
  async claimOrLock(
    manager: EntityManager,
    orderId: string,
    status: ReservationStatus,
    at: Date,
  ): Promise<{ reservation: ReservationEntity; created: boolean }> {
    const created = await this.claim(manager, orderId, status, at);
    const reservation = await this.uow.findOneForUpdate(manager, ReservationEntity, { where: { orderId } });
    if (!reservation) throw new Error(`The reservation of order ${orderId} vanished while it was claimed`);
    return { reservation, created };
  }

  /** The items a reservation was asked for. */
  lines(manager: EntityManager, orderId: string): Promise<ReservationLineEntity[]> {
    return manager.find(ReservationLineEntity, { where: { orderId } });
  }
}

/** Whether two item lists ask for the same quantities of the same products, in whatever order. */
export function sameItems(
  a: readonly { readonly productId: string; readonly quantity: number }[],
  b: readonly { readonly productId: string; readonly quantity: number }[],
): boolean {
  if (a.length !== b.length) return false;
  const quantities = new Map(a.map((item) => [item.productId.toLowerCase(), item.quantity]));
  return b.every((item) => quantities.get(item.productId.toLowerCase()) === item.quantity);
}

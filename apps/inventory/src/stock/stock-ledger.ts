import { randomUUID } from 'node:crypto';
import { Injectable } from '@nestjs/common';
import { EntityManager, In } from 'typeorm';
import { UnitOfWork } from '@app/database';
import { IntegrationEvents, StockAdjustedEvent } from '@app/integration-events';
import { ProductStockEntity } from './product-stock.entity';
import { StockMovementEntity, StockMovementKind } from './stock-movement.entity';

/** Why and when a stock changes: written to the ledger, and published as `stock.adjusted`. */
export interface StockMovement {
  readonly kind: StockMovementKind;
  /** The text recorded with the change (`note` of the event). */
  readonly note: string;
  readonly orderId: string | null;
  readonly at: Date;
}

/** Ascending by product id: the one order in which every transaction locks and changes stock. */
export const byProductId = <T extends { readonly productId: string }>(a: T, b: T): number =>
  a.productId < b.productId ? -1 : a.productId > b.productId ? 1 : 0;

/**
 * The only door to a product's stock, used inside the caller's transaction: lock the
 * records, then change them, each change written to the ledger (`stock_movements`) and,
 * for changes made here, recorded as `stock.adjusted` in the same transaction.
 */
@Injectable()
export class StockLedger {
  constructor(
    private readonly uow: UnitOfWork,
    private readonly events: IntegrationEvents,
  ) {}

  /**
   * Reads and locks the stock records, in id order (the same order everywhere, so
   * concurrent transactions cannot deadlock). Unknown ids are absent from the map.
   */
  async lock(manager: EntityManager, productIds: readonly string[]): Promise<Map<string, ProductStockEntity>> {
    const records = await this.uow.findForUpdate(manager, ProductStockEntity, {
      where: { productId: In([...productIds]) },
      order: { productId: 'ASC' },
    });
    return new Map(records.map((record) => [record.productId, record]));
  }

  /** Changes a locked record's stock by `delta` here, and records the `stock.adjusted` event of the change. */
  async change(
    manager: EntityManager,
    record: ProductStockEntity,
    delta: number,
    movement: StockMovement,
  ): Promise<void> {
    await this.write(manager, record, delta, movement);
    await this.events.record(
      manager,
      StockAdjustedEvent,
      {
        productId: record.productId,
        delta,
        stock: record.stock,
        reason: movement.kind,
        note: movement.note,
        orderId: movement.orderId,
        updatedAt: movement.at.toISOString(),
      },
      { occurredAt: movement.at },
    );
  }

  /** Applies a change of a locked record's stock that another service made and published; no event of its own. */
  applyForeign(
    manager: EntityManager,
    record: ProductStockEntity,
    delta: number,
    movement: StockMovement,
  ): Promise<void> {
    return this.write(manager, record, delta, movement);
  }

  private async write(
    manager: EntityManager,
    record: ProductStockEntity,
    delta: number,
    movement: StockMovement,
  ): Promise<void> {
    const stock = record.stock + delta;
    if (stock < 0) throw new Error(`Stock of ${record.productId} would go below zero`);
    await manager.update(ProductStockEntity, { productId: record.productId }, { stock, updatedAt: movement.at });
    await manager.insert(StockMovementEntity, {
      id: randomUUID(),
      productId: record.productId,
      kind: movement.kind,
      delta,
      stockAfter: stock,
      reason: movement.note,
      orderId: movement.orderId,
      createdAt: movement.at,
    });
    record.stock = stock;
    record.updatedAt = movement.at;
  }
}

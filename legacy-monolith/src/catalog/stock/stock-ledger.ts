import { randomUUID } from 'node:crypto';
import { Injectable } from '@nestjs/common';
import { EntityManager, In } from 'typeorm';
import { UnitOfWork } from '@app/database';
import { IntegrationEvents, StockAdjustedEvent } from '@app/integration-events';
import { latestUpdate } from '@app/shop-api';
import { ProductEntity } from '../product.entity';
import { StockMovementEntity, StockMovementKind } from '../stock-movement.entity';

export interface StockLine {
  readonly productId: string;
  readonly quantity: number;
}

/**
 * The catalog's door for other modules that change stock inside their own transaction
 * (orders): lock products, then take or put back quantities, each change written to the
 * stock ledger and published as `stock.adjusted`.
 */
@Injectable()
export class StockLedger {
  constructor(
    private readonly uow: UnitOfWork,
    private readonly events: IntegrationEvents,
  ) {}

  /**
   * Reads and locks the products, in id order (the same order everywhere, so concurrent
   * transactions cannot deadlock). Missing ids are simply absent from the map.
   */
  async lock(manager: EntityManager, productIds: readonly string[]): Promise<Map<string, ProductEntity>> {
    const products = await this.uow.findForUpdate(manager, ProductEntity, {
      where: { id: In([...productIds]) },
      order: { id: 'ASC' },
    });
    return new Map(products.map((product) => [product.id, product]));
  }

  /**
   * Changes the stock of locked products by `sign × quantity`, records why, and records a
   * `stock.adjusted` event per product.
   */
  async move(
    manager: EntityManager,
    products: ReadonlyMap<string, ProductEntity>,
    lines: readonly StockLine[],
    movement: StockMovement & { readonly kind: Exclude<StockMovementKind, 'snapshot'> },
  ): Promise<void> {
    for (const line of [...lines].sort((a, b) => a.productId.localeCompare(b.productId))) {
      const product = products.get(line.productId);
      if (!product) throw new Error(`Product ${line.productId} was not locked before moving its stock`);
      const delta = movement.sign * line.quantity;
      await this.write(manager, product, delta, movement);
      await this.events.record(
        manager,
        StockAdjustedEvent,
        {
          productId: product.id,
          delta,
          stock: product.stock,
          reason: movement.kind,
          note: movement.reason,
          orderId: movement.orderId,
          updatedAt: product.updatedAt.toISOString(),
        },
        { occurredAt: movement.at },
      );
    }
  }

  /** Applies a change of a locked product's stock that another service made and published; no event of its own. */
  applyForeign(manager: EntityManager, product: ProductEntity, delta: number, movement: StockMovement): Promise<void> {
    return this.write(manager, product, delta, movement);
  }

  private async write(
    manager: EntityManager,
    product: ProductEntity,
    delta: number,
    movement: StockMovement,
  ): Promise<void> {
    const stock = product.stock + delta;
    if (stock < 0) throw new Error(`Stock of ${product.id} would go below zero`);
    const updatedAt = latestUpdate(product.updatedAt, movement.at);
    await manager.update(ProductEntity, { id: product.id }, { stock, updatedAt });
    await manager.insert(StockMovementEntity, {
      id: randomUUID(),
      productId: product.id,
      kind: movement.kind,
      delta,
      stockAfter: stock,
      reason: movement.reason,
      orderId: movement.orderId,
      createdAt: movement.at,
    });
    product.stock = stock;
    product.updatedAt = updatedAt;
  }
}

export interface StockMovement {
  readonly kind: StockMovementKind;
  readonly sign: 1 | -1;
  readonly reason: string;
  readonly orderId: string | null;
  readonly at: Date;
}

import { randomUUID } from 'node:crypto';
import { Injectable } from '@nestjs/common';
import { EntityManager, In } from 'typeorm';
import { UnitOfWork } from '@app/database';
import { ProductEntity } from '../product.entity';
import { StockMovementEntity, StockMovementKind } from '../stock-movement.entity';

export interface StockLine {
  readonly productId: string;
  readonly quantity: number;
}

/**
 * The catalog's door for other modules that change stock inside their own transaction
 * (orders): lock products, then take or put back quantities, each change written to the
 * stock ledger.
 */
@Injectable()
export class StockLedger {
  constructor(private readonly uow: UnitOfWork) {}

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

  /** Changes the stock of locked products by `sign × quantity` and records why; returns the new stock. */
  async move(
    manager: EntityManager,
    products: ReadonlyMap<string, ProductEntity>,
    lines: readonly StockLine[],
    movement: { kind: StockMovementKind; sign: 1 | -1; reason: string; orderId: string | null; at: Date },
  ): Promise<void> {
    for (const line of [...lines].sort((a, b) => a.productId.localeCompare(b.productId))) {
      const product = products.get(line.productId);
      if (!product) throw new Error(`Product ${line.productId} was not locked before moving its stock`);
      const delta = movement.sign * line.quantity;
      const stock = product.stock + delta;
      if (stock < 0) throw new Error(`Stock of ${product.id} would go below zero`);
      await manager.update(ProductEntity, { id: product.id }, { stock, updatedAt: movement.at });
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
      product.updatedAt = movement.at;
    }
  }
}

import { Injectable } from '@nestjs/common';
import type { EntityManager } from 'typeorm';
import {
  ApplyIntegrationEvents,
  IntegrationEventsHandler,
  ProductCreatedEvent,
  ProductUpdatedEvent,
  StockAdjustedEvent,
  StockSnapshotEvent,
} from '@app/integration-events';
import { foldForSearch, latestUpdate } from '@app/shop-api';
import { ProductEntity } from '../product.entity';
import { StockLedger } from '../stock/stock-ledger';

type ProductEvent = ProductCreatedEvent | ProductUpdatedEvent | StockAdjustedEvent | StockSnapshotEvent;

/**
 * Applies the product and stock changes other services (catalog, inventory) made, so the
 * monolith answers with them when a route moves back to it; a `stock.snapshot` (inventory's
 * answer to a gap past its outbox's retention) sets the stock, as a `snapshot` movement.
 */
@Injectable()
@ApplyIntegrationEvents(ProductCreatedEvent, ProductUpdatedEvent, StockAdjustedEvent, StockSnapshotEvent)
export class ApplyProductEventsHandler implements IntegrationEventsHandler<ProductEvent> {
  constructor(private readonly stock: StockLedger) {}

  async handle(event: ProductEvent, manager: EntityManager): Promise<void> {
    if (event instanceof ProductCreatedEvent) return this.created(event, manager);
    const products = await this.stock.lock(manager, [event.data.productId]);
    const product = products.get(event.data.productId);
    if (!product) throw new Error(`${event.data.id}: product ${event.data.productId} does not exist here`);
    if (event instanceof StockSnapshotEvent) {
      const { stock, occurredAt } = event.data;
      const movement = { kind: 'snapshot', reason: 'stock.snapshot', orderId: null, at: new Date(occurredAt) } as const;
      const delta = stock - product.stock;
      if (delta !== 0)
        await this.stock.applyForeign(manager, product, delta, { ...movement, sign: delta > 0 ? 1 : -1 });
      return;
    }
    if (event instanceof StockAdjustedEvent) {
      const { delta, reason, note, orderId, updatedAt } = event.data;
      await this.stock.applyForeign(manager, product, delta, {
        kind: reason,
        sign: delta > 0 ? 1 : -1,
        reason: note,
        orderId,
        at: new Date(updatedAt),
      });
      return;
    }
    const { name, priceCents, updatedAt } = event.data;
    await manager.update(
      ProductEntity,
      { id: product.id },
      { name, nameFolded: foldForSearch(name), priceCents, updatedAt: latestUpdate(product.updatedAt, updatedAt) },
    );
  }

  private async created({ data }: ProductCreatedEvent, manager: EntityManager): Promise<void> {
    await manager.insert(ProductEntity, {
      id: data.productId,
      sku: data.sku,
      name: data.name,
      nameFolded: foldForSearch(data.name),
      priceCents: data.priceCents,
      stock: data.stock,
      createdAt: new Date(data.createdAt),
      updatedAt: new Date(data.updatedAt),
    });
  }
}

import { Injectable } from '@nestjs/common';
import type { EntityManager } from 'typeorm';
import { ApplyIntegrationEvents, IntegrationEventsHandler, ProductSnapshotEvent } from '@app/integration-events';
import { ProductStockEntity } from '../product-stock.entity';
import { StockLedger } from '../stock-ledger';

/**
 * `product.snapshot` (a backfill): the product's stock as an absolute value. The inbox has
 * already decided it is at least as recent as everything applied here (else it never runs).
 */
@Injectable()
@ApplyIntegrationEvents(ProductSnapshotEvent)
export class ApplyProductSnapshotHandler implements IntegrationEventsHandler<ProductSnapshotEvent> {
  constructor(private readonly stock: StockLedger) {}

  async handle({ data }: ProductSnapshotEvent, manager: EntityManager): Promise<void> {
    const state = {
      stock: data.stock,
      createdAt: new Date(data.createdAt),
      updatedAt: new Date(data.updatedAt),
    };
    const record = (await this.stock.lock(manager, [data.productId])).get(data.productId);
    if (record) await manager.update(ProductStockEntity, { productId: record.productId }, state);
    else await manager.insert(ProductStockEntity, { productId: data.productId, ...state });
  }
}

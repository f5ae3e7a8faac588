import { Injectable } from '@nestjs/common';
import type { EntityManager } from 'typeorm';
import { UnitOfWork } from '@app/database';
import {
  ApplyIntegrationEvents,
  IntegrationEventsHandler,
  ProductCreatedEvent,
  ProductSnapshotEvent,
  ProductUpdatedEvent,
  StockAdjustedEvent,
  StockSnapshotEvent,
} from '@app/integration-events';
import { type ProductRecord, latestUpdate } from '@app/shop-api';
import { CatalogServiceError } from '../../catalog-errors';
import { ProjectionLagMonitor } from '../../projection-lag/projection-lag.monitor';
import { ProductEntity } from '../product.entity';
import { productRow } from '../product-row';

export type ProductEvent =
  ProductCreatedEvent | ProductUpdatedEvent | StockAdjustedEvent | ProductSnapshotEvent | StockSnapshotEvent;

/**
 * The projection: builds the read model from the product events of every origin (the
 * monolith, inventory, and the catalog's own before a rebuild). The inbox has already decided
 * that the event is new and next in its origin's order (or, for a snapshot, not stale); this
 * applies it in the inbox's transaction. Stock events carry deltas, so origins interleaved
 * in any order converge. An event for a product not known yet, or a delta that would take the
 * stock below zero, throws: the message is delivered again once the other origin's event is in.
 */
@Injectable()
@ApplyIntegrationEvents(
  ProductCreatedEvent,
  ProductUpdatedEvent,
  StockAdjustedEvent,
  ProductSnapshotEvent,
  StockSnapshotEvent,
)
export class ApplyProductEventsHandler implements IntegrationEventsHandler<ProductEvent> {
  constructor(
    private readonly uow: UnitOfWork,
    private readonly lag: ProjectionLagMonitor,
  ) {}

  async handle(event: ProductEvent, manager: EntityManager): Promise<void> {
    if (event instanceof ProductCreatedEvent) await this.created(event, manager);
    else if (event instanceof ProductSnapshotEvent) await this.snapshot(event, manager);
    else if (event instanceof StockAdjustedEvent) await this.stockAdjusted(event, manager);
    else if (event instanceof StockSnapshotEvent) await this.stockSnapshot(event, manager);
    else await this.updated(event, manager);
    const { occurredAt } = event.data;
    this.uow.afterCommit(manager, () => this.lag.applied(occurredAt));
  }

  private async created({ data }: ProductCreatedEvent, manager: EntityManager): Promise<void> {
    await manager.insert(ProductEntity, productRow(productState(data)));
  }

  /** Absolute state: replaces the product, or adds it. */
  private async snapshot({ data }: ProductSnapshotEvent, manager: EntityManager): Promise<void> {
    const state = productState(data);
    const existing = await this.uow.findOneForUpdate(manager, ProductEntity, { where: { id: state.id } });
    if (existing) await this.replace(manager, state);
    else await manager.insert(ProductEntity, productRow(state));
  }

  private async stockAdjusted({ data }: StockAdjustedEvent, manager: EntityManager): Promise<void> {
    const product = await this.known(manager, data.id, data.productId);
    const stock = product.stock + data.delta;
    if (stock < 0) {
      throw new CatalogServiceError(
        'CATALOG_STOCK_BELOW_ZERO',
        `${data.id}: the stock of ${data.productId} is ${product.stock} here; ${data.delta} waits for the events of other origins.`,
      );
    }
    await this.replace(manager, { ...product, stock, updatedAt: latestUpdate(product.updatedAt, data.updatedAt) });
  }

  /** Inventory's stock, absolute (the inbox checked that it agrees with this side on every other origin). */
  private async stockSnapshot({ data }: StockSnapshotEvent, manager: EntityManager): Promise<void> {
    const product = await this.known(manager, data.id, data.productId);
    await this.replace(manager, { ...product, stock: data.stock });
  }

  private async updated({ data }: ProductUpdatedEvent, manager: EntityManager): Promise<void> {
    const product = await this.known(manager, data.id, data.productId);
    await this.replace(manager, {
      ...product,
      name: data.name,
      priceCents: data.priceCents,
      updatedAt: latestUpdate(product.updatedAt, data.updatedAt),
    });
  }

  /** Stores the product's new state, its derived columns with it. */
  private async replace(manager: EntityManager, product: ProductRecord): Promise<void> {
    const { id, ...state } = productRow(product);
    await manager.update(ProductEntity, { id }, state);
  }

  /** The product, locked; throws (the event is delivered again) while it is not known yet. */
  private async known(manager: EntityManager, eventId: string, productId: string): Promise<ProductEntity> {
    const product = await this.uow.findOneForUpdate(manager, ProductEntity, { where: { id: productId } });
    if (!product) {
      throw new CatalogServiceError(
        'CATALOG_PRODUCT_UNKNOWN',
        `${eventId}: product ${productId} is not known here yet; its product.created or product.snapshot comes first.`,
      );
    }
    return product;
  }
}

/** A product's state as a created or snapshot event carries it. */
function productState(data: ProductCreatedEvent['data'] | ProductSnapshotEvent['data']): ProductRecord {
  return {
    id: data.productId,
    sku: data.sku,
    name: data.name,
    priceCents: data.priceCents,
    stock: data.stock,
    createdAt: new Date(data.createdAt),
    updatedAt: new Date(data.updatedAt),
  };
}

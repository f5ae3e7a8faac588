import { Injectable } from '@nestjs/common';
import type { EntityManager } from 'typeorm';
import {
  ApplyIntegrationEvents,
  IntegrationEventsHandler,
  ProductCreatedEvent,
  ProductSnapshotEvent,
} from '@app/integration-events';
import { ProductPriceEntity } from './product-price.entity';

type ProductEvent = ProductCreatedEvent | ProductSnapshotEvent;

/**
 * Keeps each product's current price, the one an order is placed at: set by `product.created`
 * and by a backfill's `product.snapshot`. The inbox has already decided that the event is new and
 * in order.
 */
@Injectable()
@ApplyIntegrationEvents(ProductCreatedEvent, ProductSnapshotEvent)
export class ApplyProductEventsHandler implements IntegrationEventsHandler<ProductEvent> {
  async handle({ data }: ProductEvent, manager: EntityManager): Promise<void> {
    await manager.upsert(
      ProductPriceEntity,
      { productId: data.productId, priceCents: data.priceCents, updatedAt: new Date(data.updatedAt) },
      ['productId'],
    );
  }
}

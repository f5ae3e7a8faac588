import { Injectable } from '@nestjs/common';
import type { EntityManager } from 'typeorm';
import {
  ApplyIntegrationEvents,
  CustomerRegisteredEvent,
  CustomerSnapshotEvent,
  IntegrationEventsHandler,
} from '@app/integration-events';
import { ShopperEntity } from './shopper.entity';

type CustomerEvent = CustomerRegisteredEvent | CustomerSnapshotEvent;

/** Records every customer the monolith registered (or a backfill names): only they may place orders. */
@Injectable()
@ApplyIntegrationEvents(CustomerRegisteredEvent, CustomerSnapshotEvent)
export class ApplyCustomerEventsHandler implements IntegrationEventsHandler<CustomerEvent> {
  async handle({ data }: CustomerEvent, manager: EntityManager): Promise<void> {
    await manager.upsert(ShopperEntity, { customerId: data.customerId, createdAt: new Date(data.createdAt) }, [
      'customerId',
    ]);
  }
}

import type { EventData } from '@app/contracts';
import { ProductCreated } from '@app/contracts';
import { IntegrationEvent } from '../integration-event.decorator';

/** A product was added to the catalog. (`product.created`) */
@IntegrationEvent(ProductCreated.pattern)
export class ProductCreatedEvent {
  constructor(readonly data: EventData<typeof ProductCreated>) {}
}

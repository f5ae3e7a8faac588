import type { EventData } from '@app/contracts';
import { ProductUpdated } from '@app/contracts';
import { IntegrationEvent } from '../integration-event.decorator';

/** A product's name or price changed. (`product.updated`) */
@IntegrationEvent(ProductUpdated.pattern)
export class ProductUpdatedEvent {
  constructor(readonly data: EventData<typeof ProductUpdated>) {}
}

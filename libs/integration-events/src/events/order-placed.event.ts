import type { EventData } from '@app/contracts';
import { OrderPlaced } from '@app/contracts';
import { IntegrationEvent } from '../integration-event.decorator';

/** An order was placed, approved or rejected. (`order.placed`) */
@IntegrationEvent(OrderPlaced.pattern)
export class OrderPlacedEvent {
  constructor(readonly data: EventData<typeof OrderPlaced>) {}
}

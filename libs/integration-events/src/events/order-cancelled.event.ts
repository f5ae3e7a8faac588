import type { EventData } from '@app/contracts';
import { OrderCancelled } from '@app/contracts';
import { IntegrationEvent } from '../integration-event.decorator';

/** An approved order was cancelled. (`order.cancelled`) */
@IntegrationEvent(OrderCancelled.pattern)
export class OrderCancelledEvent {
  constructor(readonly data: EventData<typeof OrderCancelled>) {}
}

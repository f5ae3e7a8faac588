import type { EventData } from '@app/contracts';
import { StockAdjusted } from '@app/contracts';
import { IntegrationEvent } from '@app/integration-events';

/** A product's stock changed (adjustment, order or cancellation). (`stock.adjusted`) */
@IntegrationEvent(StockAdjusted.pattern)
export class StockAdjustedEvent {
  constructor(readonly data: EventData<typeof StockAdjusted>) {}
}

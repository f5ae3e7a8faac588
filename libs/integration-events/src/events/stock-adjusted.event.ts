import type { EventData } from '@app/contracts';
import { StockAdjusted } from '@app/contracts';
import { IntegrationEvent } from '../integration-event.decorator';

/** A product's stock changed (adjustment, order or cancellation). (`stock.adjusted`) */
@IntegrationEvent(StockAdjusted.pattern)
export class StockAdjustedEvent {
  constructor(readonly data: EventData<typeof StockAdjusted>) {}
}

import type { EventData } from '@app/contracts';
import { ProductSnapshot } from '@app/contracts';
import { IntegrationEvent } from '../integration-event.decorator';

/** The state of a product and its stock (backfill). (`product.snapshot`) */
@IntegrationEvent(ProductSnapshot.pattern)
export class ProductSnapshotEvent {
  constructor(readonly data: EventData<typeof ProductSnapshot>) {}
}

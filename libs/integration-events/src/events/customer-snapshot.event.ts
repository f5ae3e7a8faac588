import type { EventData } from '@app/contracts';
import { CustomerSnapshot } from '@app/contracts';
import { IntegrationEvent } from '../integration-event.decorator';

/** The state of a customer and wallet (backfill). (`customer.snapshot`) */
@IntegrationEvent(CustomerSnapshot.pattern)
export class CustomerSnapshotEvent {
  constructor(readonly data: EventData<typeof CustomerSnapshot>) {}
}

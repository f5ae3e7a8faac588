import type { EventData } from '@app/contracts';
import { CustomerRegistered } from '@app/contracts';
import { IntegrationEvent } from '../integration-event.decorator';

/** A customer signed up. (`customer.registered`) */
@IntegrationEvent(CustomerRegistered.pattern)
export class CustomerRegisteredEvent {
  constructor(readonly data: EventData<typeof CustomerRegistered>) {}
}

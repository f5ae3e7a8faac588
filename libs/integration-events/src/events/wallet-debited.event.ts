import type { EventData } from '@app/contracts';
import { WalletDebited } from '@app/contracts';
import { IntegrationEvent } from '../integration-event.decorator';

/** Money left a wallet for an order. (`wallet.debited`) */
@IntegrationEvent(WalletDebited.pattern)
export class WalletDebitedEvent {
  constructor(readonly data: EventData<typeof WalletDebited>) {}
}

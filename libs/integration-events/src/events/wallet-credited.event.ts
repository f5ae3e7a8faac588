import type { EventData } from '@app/contracts';
import { WalletCredited } from '@app/contracts';
import { IntegrationEvent } from '../integration-event.decorator';

/** Money went into a wallet (deposit or refund). (`wallet.credited`) */
@IntegrationEvent(WalletCredited.pattern)
export class WalletCreditedEvent {
  constructor(readonly data: EventData<typeof WalletCredited>) {}
}

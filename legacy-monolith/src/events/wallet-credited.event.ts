import type { EventData } from '@app/contracts';
import { WalletCredited } from '@app/contracts';
import { IntegrationEvent } from '@app/integration-events';

/** Money went into a wallet (deposit or refund). (`wallet.credited`) */
@IntegrationEvent(WalletCredited.pattern)
export class WalletCreditedEvent {
  constructor(readonly data: EventData<typeof WalletCredited>) {}
}

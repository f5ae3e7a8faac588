import {
  CustomerRegisteredEvent,
  CustomerSnapshotEvent,
  WalletCreditedEvent,
  WalletDebitedEvent,
} from '@app/integration-events';

/**
 * The integration events payments builds its wallets from (when another service made the
 * change): registrations and backfill snapshots open them, credits and debits change them.
 */
export const CONSUMED_EVENTS = [
  CustomerRegisteredEvent,
  CustomerSnapshotEvent,
  WalletCreditedEvent,
  WalletDebitedEvent,
];

import { ProductCreatedEvent, ProductSnapshotEvent, WalletCreditedEvent } from '@app/integration-events';
import { CATALOG_CONSUMED_EVENTS } from '../consumed-events';
import { patternsReadBy } from './streams-read';

describe('patternsReadBy', () => {
  it("reads the catalog's consumed events and every other event of the product aggregate, not other aggregates", () => {
    expect(patternsReadBy(CATALOG_CONSUMED_EVENTS)).toEqual([
      'product.created',
      'product.updated',
      'stock.adjusted',
      'product.snapshot',
      'stock.snapshot',
    ]);
  });

  it('adds the events of the same aggregate a service does not consume, but no snapshot it did not ask for', () => {
    expect(patternsReadBy([ProductCreatedEvent])).toEqual(['product.created', 'product.updated', 'stock.adjusted']);
    expect(patternsReadBy([ProductSnapshotEvent])).toEqual([
      'product.snapshot',
      'product.created',
      'product.updated',
      'stock.adjusted',
    ]);
    expect(patternsReadBy([WalletCreditedEvent])).toEqual(['wallet.credited', 'customer.registered', 'wallet.debited']);
  });
});

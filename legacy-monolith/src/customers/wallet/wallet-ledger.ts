import { randomUUID } from 'node:crypto';
import { Injectable } from '@nestjs/common';
import type { EntityManager } from 'typeorm';
import { UnitOfWork } from '@app/database';
import { CustomerEntity } from '../customer.entity';
import { WalletEntryEntity, WalletEntryKind } from '../wallet-entry.entity';

/**
 * The customers module's door for changing balances inside a caller's transaction
 * (deposits, orders): lock a wallet, then credit or debit it, each change written to the
 * wallet ledger. A balance never goes below zero.
 */
@Injectable()
export class WalletLedger {
  constructor(private readonly uow: UnitOfWork) {}

  /** Reads and locks the customer's row until the transaction ends; `null` if there is none. */
  lock(manager: EntityManager, customerId: string): Promise<CustomerEntity | null> {
    return this.uow.findOneForUpdate(manager, CustomerEntity, { where: { id: customerId } });
  }

  /** Adds `amountCents` (negative to debit) to a locked customer's balance; returns the new balance. */
  async change(
    manager: EntityManager,
    customer: CustomerEntity,
    amountCents: number,
    entry: { kind: WalletEntryKind; orderId: string | null; at: Date },
  ): Promise<number> {
    const balanceCents = customer.balanceCents + amountCents;
    if (balanceCents < 0) throw new Error(`Balance of ${customer.id} would go below zero`);
    await manager.update(CustomerEntity, { id: customer.id }, { balanceCents, updatedAt: entry.at });
    await manager.insert(WalletEntryEntity, {
      id: randomUUID(),
      customerId: customer.id,
      kind: entry.kind,
      amountCents,
      balanceAfterCents: balanceCents,
      orderId: entry.orderId,
      createdAt: entry.at,
    });
    customer.balanceCents = balanceCents;
    customer.updatedAt = entry.at;
    return balanceCents;
  }
}

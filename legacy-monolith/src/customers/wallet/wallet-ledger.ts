import { randomUUID } from 'node:crypto';
import { Injectable } from '@nestjs/common';
import type { EntityManager } from 'typeorm';
import { UnitOfWork } from '@app/database';
import { IntegrationEvents, WalletCreditedEvent, WalletDebitedEvent } from '@app/integration-events';
import { CustomerEntity } from '../customer.entity';
import { WalletEntryEntity, WalletEntryKind } from '../wallet-entry.entity';

/**
 * The customers module's door for changing balances inside a caller's transaction
 * (deposits, orders): lock a wallet, then credit or debit it, each change written to the
 * wallet ledger and published as `wallet.credited` or `wallet.debited`. A balance never goes
 * below zero.
 */
@Injectable()
export class WalletLedger {
  constructor(
    private readonly uow: UnitOfWork,
    private readonly events: IntegrationEvents,
  ) {}

  /** Reads and locks the customer's row until the transaction ends; `null` if there is none. */
  lock(manager: EntityManager, customerId: string): Promise<CustomerEntity | null> {
    return this.uow.findOneForUpdate(manager, CustomerEntity, { where: { id: customerId } });
  }

  /**
   * Adds `amountCents` (negative to debit) to a locked customer's balance and records the
   * integration event (none for 0); returns the new balance.
   */
  async change(
    manager: EntityManager,
    customer: CustomerEntity,
    amountCents: number,
    entry: WalletEntry,
  ): Promise<number> {
    const balanceCents = await this.write(manager, customer, amountCents, entry);
    // An order of free products moves no money: nothing to publish.
    if (amountCents === 0) return balanceCents;
    const common = { customerId: customer.id, balanceCents };
    const occurredAt = { occurredAt: entry.at };
    if (entry.kind === 'order_debit') {
      await this.events.record(
        manager,
        WalletDebitedEvent,
        { ...common, amountCents: -amountCents, reason: 'order', orderId: requireOrderId(entry) },
        occurredAt,
      );
    } else {
      await this.events.record(
        manager,
        WalletCreditedEvent,
        {
          ...common,
          amountCents,
          reason: entry.kind === 'deposit' ? 'deposit' : 'refund',
          orderId: entry.kind === 'deposit' ? null : requireOrderId(entry),
        },
        occurredAt,
      );
    }
    return balanceCents;
  }

  /**
   * Applies a change another service made and published: the same ledger entry, no event
   * of its own. Returns the new balance.
   */
  applyForeign(
    manager: EntityManager,
    customer: CustomerEntity,
    amountCents: number,
    entry: WalletEntry,
  ): Promise<number> {
    return this.write(manager, customer, amountCents, entry);
  }

  /**
   * Sets a locked customer's balance to the absolute value another service's snapshot holds,
   * as a `snapshot` ledger entry of the difference (none when equal); no event of its own.
   */
  async applySnapshot(manager: EntityManager, customer: CustomerEntity, balanceCents: number, at: Date): Promise<void> {
    const difference = balanceCents - customer.balanceCents;
    if (difference !== 0) await this.write(manager, customer, difference, { kind: 'snapshot', orderId: null, at });
  }

  private async write(
    manager: EntityManager,
    customer: CustomerEntity,
    amountCents: number,
    entry: WalletEntry,
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

export interface WalletEntry {
  readonly kind: WalletEntryKind;
  readonly orderId: string | null;
  readonly at: Date;
}

function requireOrderId(entry: WalletEntry): string {
  if (!entry.orderId) throw new Error(`A wallet entry of kind ${entry.kind} needs its order id`);
  return entry.orderId;
}

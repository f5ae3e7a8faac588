import { randomUUID } from 'node:crypto';
import { Injectable } from '@nestjs/common';
import type { EntityManager } from 'typeorm';
import { UnitOfWork } from '@app/database';
import { IntegrationEvents, WalletCreditedEvent, WalletDebitedEvent } from '@app/integration-events';
import { WalletEntryEntity, WalletEntryKind } from './wallet-entry.entity';
import { WalletError } from './wallet.errors';
import { WalletEntity } from './wallet.entity';

/** One change of a balance: what it was for, its order (debits and refunds), and when. */
export interface WalletEntry {
  readonly kind: WalletEntryKind;
  readonly orderId: string | null;
  readonly at: Date;
}

/**
 * The one door for changing wallets, inside the caller's transaction: lock a wallet, then
 * credit or debit it, each change written to the ledger (`wallet_entries`) with the balance
 * after it. Changes payments makes are recorded as `wallet.credited` / `wallet.debited`;
 * changes other services made are applied without an event. A balance never goes below zero.
 */
@Injectable()
export class WalletLedger {
  constructor(
    private readonly uow: UnitOfWork,
    private readonly events: IntegrationEvents,
  ) {}

  /** Reads and locks the wallet until the transaction ends; `null` if payments has none for the customer. */
  lock(manager: EntityManager, customerId: string): Promise<WalletEntity | null> {
    return this.uow.findOneForUpdate(manager, WalletEntity, { where: { customerId } });
  }

  /** Opens a wallet with a starting balance (an `opening` ledger entry when it is not 0). */
  async open(
    manager: EntityManager,
    wallet: { customerId: string; balanceCents: number; createdAt: Date },
    at: Date,
  ): Promise<WalletEntity> {
    const opened: WalletEntity = { ...wallet, balanceCents: 0, updatedAt: at };
    await manager.insert(WalletEntity, opened);
    if (wallet.balanceCents !== 0)
      await this.write(manager, opened, wallet.balanceCents, { kind: 'opening', orderId: null, at });
    return opened;
  }

  /** Sets a locked wallet's balance to an absolute value (a snapshot), as a `snapshot` ledger entry of the difference. */
  async reset(manager: EntityManager, wallet: WalletEntity, balanceCents: number, at: Date): Promise<void> {
    const difference = balanceCents - wallet.balanceCents;
    if (difference !== 0) await this.write(manager, wallet, difference, { kind: 'snapshot', orderId: null, at });
  }

  /**
   * Adds `amountCents` (negative to debit, never 0) to a locked wallet and records the
   * integration event of the change; returns the new balance.
   */
  async change(manager: EntityManager, wallet: WalletEntity, amountCents: number, entry: WalletEntry): Promise<number> {
    const balanceCents = await this.write(manager, wallet, amountCents, entry);
    const common = { customerId: wallet.customerId, balanceCents };
    const occurredAt = { occurredAt: entry.at };
    if (entry.kind === 'order_debit') {
      await this.events.record(
        manager,
        WalletDebitedEvent,
        { ...common, amountCents: -amountCents, reason: 'order', orderId: requireOrderId(entry) },
        occurredAt,
      );
    } else if (entry.kind === 'deposit' || entry.kind === 'order_refund') {
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
    } else {
      throw new Error(`A wallet change of kind ${entry.kind} is not published`);
    }
    return balanceCents;
  }

  /** Applies a change another service made and published: the same ledger entry, no event. */
  applyForeign(manager: EntityManager, wallet: WalletEntity, amountCents: number, entry: WalletEntry): Promise<number> {
    return this.write(manager, wallet, amountCents, entry);
  }

  private async write(
    manager: EntityManager,
    wallet: WalletEntity,
    amountCents: number,
    entry: WalletEntry,
  ): Promise<number> {
    const balanceCents = wallet.balanceCents + amountCents;
    if (balanceCents < 0) {
      throw new WalletError(
        'WALLET_EVENT_NOT_APPLICABLE',
        `The balance of ${wallet.customerId} (${wallet.balanceCents}) would go below zero by ${amountCents}.`,
      );
    }
    await manager.update(WalletEntity, { customerId: wallet.customerId }, { balanceCents, updatedAt: entry.at });
    await manager.insert(WalletEntryEntity, {
      id: randomUUID(),
      customerId: wallet.customerId,
      kind: entry.kind,
      amountCents,
      balanceAfterCents: balanceCents,
      orderId: entry.orderId,
      createdAt: entry.at,
    });
    wallet.balanceCents = balanceCents;
    wallet.updatedAt = entry.at;
    return balanceCents;
  }
}

function requireOrderId(entry: WalletEntry): string {
  if (!entry.orderId) throw new Error(`A wallet entry of kind ${entry.kind} needs its order id`);
  return entry.orderId;
}

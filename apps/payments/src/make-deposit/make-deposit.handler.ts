import { CommandHandler, ICommandHandler } from '@nestjs/cqrs';
import { ForbiddenError, mayActFor } from '@app/auth';
import { IdempotentExecutor } from '@app/idempotency';
import { CustomerNotFoundError, type DepositView } from '@app/shop-api';
import { WalletLedger } from '../wallet/wallet-ledger';
import { MakeDepositCommand } from './make-deposit.command';

/**
 * A deposit, as the monolith makes it: the same checks in the same order, the same
 * `Idempotency-Key` scope (operation `deposit`, the customer as target), and the credit
 * recorded as `wallet.credited` (`deposit`) in the same transaction.
 */
@CommandHandler(MakeDepositCommand)
export class MakeDepositHandler implements ICommandHandler<MakeDepositCommand> {
  constructor(
    private readonly wallets: WalletLedger,
    private readonly idempotent: IdempotentExecutor,
  ) {}

  execute({ principal, customerId, amountCents, idempotencyKey }: MakeDepositCommand): Promise<DepositView> {
    if (!mayActFor(principal, customerId))
      throw new ForbiddenError('Customers may only deposit into their own wallet.');
    return this.idempotent.run(
      {
        principalId: principal.id,
        key: idempotencyKey,
        operation: 'deposit',
        target: customerId,
        body: { amountCents },
      },
      async (manager) => {
        const wallet = await this.wallets.lock(manager, customerId);
        if (!wallet) throw new CustomerNotFoundError(customerId);
        const balanceCents = await this.wallets.change(manager, wallet, amountCents, {
          kind: 'deposit',
          orderId: null,
          at: new Date(),
        });
        return { customerId, amountCents, balanceCents };
      },
    );
  }
}

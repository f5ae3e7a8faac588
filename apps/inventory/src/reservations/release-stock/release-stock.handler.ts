import { CommandHandler, ICommandHandler } from '@nestjs/cqrs';
import type { ReleaseStockReply } from '@app/contracts';
import { UnitOfWork } from '@app/database';
import { StockLedger, byProductId } from '../../stock/stock-ledger';
import { ReservationEntity } from '../reservation.entity';
import { ReservationStore } from '../reservation-store';
import { ReleaseStockCommand } from './release-stock.command';

const RELEASED: ReleaseStockReply = { status: 'RELEASED' };
const NOTHING_TO_RELEASE: ReleaseStockReply = { status: 'NOTHING_TO_RELEASE' };

/**
 * Releases an order's reservation in one transaction, idempotent by order id:
 * - reserved and not released (by `inventory.reserve-stock`, or recorded from the `stock.adjusted`
 *   of an order another origin placed): the stock goes back (`stock.adjusted`, `cancellation`, per
 *   product), the reservation becomes `RELEASED`, and the answer is `RELEASED`;
 * - already released, or cancelled by another origin (the monolith put the stock back):
 *   `RELEASED` again, changing nothing;
 * - rejected: `NOTHING_TO_RELEASE`;
 * - never reserved: `NOTHING_TO_RELEASE`, and the order is closed, so a reservation that
 *   arrives later (a slow first request) takes nothing.
 */
@CommandHandler(ReleaseStockCommand)
export class ReleaseStockHandler implements ICommandHandler<ReleaseStockCommand> {
  constructor(
    private readonly uow: UnitOfWork,
    private readonly stock: StockLedger,
    private readonly reservations: ReservationStore,
  ) {}

  execute({ orderId }: ReleaseStockCommand): Promise<ReleaseStockReply> {
    return this.uow.transaction(async (manager) => {
      if (await this.reservations.claim(manager, orderId, 'CLOSED', new Date())) return NOTHING_TO_RELEASE;
      const reservation = await this.uow.findOneForUpdate(manager, ReservationEntity, { where: { orderId } });
      if (!reservation) throw new Error(`The reservation of order ${orderId} vanished while it was claimed`);
      // Released here before, or by the other side's cancellation (it put the stock back).
      if (reservation.status === 'RELEASED' || reservation.status === 'CANCELLED') return RELEASED;
      if (reservation.status !== 'RESERVED') return NOTHING_TO_RELEASE;

      const lines = await this.reservations.lines(manager, orderId);
      const records = await this.stock.lock(
        manager,
        lines.map((line) => line.productId),
      );
      // Taken once the locks are held, so a product's changes carry times in the order they commit.
      const now = new Date();
      for (const line of [...lines].sort(byProductId)) {
        const record = records.get(line.productId);
        if (!record) throw new Error(`Product ${line.productId} of order ${orderId} has no stock record`);
        await this.stock.change(manager, record, line.quantity, {
          kind: 'cancellation',
          note: `cancellation of order ${orderId}`,
          orderId,
          at: now,
        });
      }
      await manager.update(ReservationEntity, { orderId }, { status: 'RELEASED', updatedAt: now });
      return RELEASED;
    });
  }
}

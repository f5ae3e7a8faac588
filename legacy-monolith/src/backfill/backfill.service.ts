import { Injectable, Logger } from '@nestjs/common';
import { type EntityManager, type EntityTarget, MoreThan, type ObjectLiteral } from 'typeorm';
import { UnitOfWork } from '@app/database';
import { ProductEntity } from '../catalog/product.entity';
import { CustomerEntity } from '../customers/customer.entity';
import { CustomerSnapshots } from './customer-snapshots';
import { ProductSnapshots } from './product-snapshots';

/** Rows read, locked and snapshotted per transaction. */
export const BACKFILL_BATCH_SIZE = 100;

export interface BackfillReport {
  readonly customers: number;
  readonly products: number;
}

/**
 * Publishes the current state of every customer (with the balance) and every product
 * (with the stock) as `customer.snapshot` and `product.snapshot` events, through the
 * outbox, so that a new service can build its data from nothing. Each snapshot carries
 * the sequences it reflects (this service's own and those of the events it applied), so
 * consumers skip a snapshot older than what they have and continue from it otherwise:
 * running the backfill twice is harmless. Rows are locked while they are read, so a
 * snapshot and its sequences agree.
 */
@Injectable()
export class BackfillService {
  private readonly logger = new Logger(BackfillService.name);

  constructor(
    private readonly uow: UnitOfWork,
    private readonly customerSnapshots: CustomerSnapshots,
    private readonly productSnapshots: ProductSnapshots,
  ) {}

  async run(): Promise<BackfillReport> {
    const customers = await this.each(CustomerEntity, (manager, customer) =>
      this.customerSnapshots.write(manager, customer),
    );
    const products = await this.each(ProductEntity, (manager, product) =>
      this.productSnapshots.write(manager, product),
    );
    const report = { customers, products };
    this.logger.log(report, 'Backfill snapshots written to the outbox');
    return report;
  }
  /** Runs `write` for every row, in id order, a batch per transaction; returns how many rows there were. */
  private async each<T extends ObjectLiteral & { id: string }>(
    entity: EntityTarget<T>,
    write: (manager: EntityManager, row: T) => Promise<void>,
  ): Promise<number> {
    // No cursor before the first batch: ids are uuids on PostgreSQL, which refuses '' as "before every id".
    let after: string | undefined;
    let count = 0;
    for (;;) {
      const rows = await this.uow.transaction(async (manager) => {
        const batch = await this.uow.findForUpdate(manager, entity, {
          where: (after === undefined ? {} : { id: MoreThan(after) }) as never,
          order: { id: 'ASC' } as never,
          take: BACKFILL_BATCH_SIZE,
        });
        for (const row of batch) await write(manager, row);
        return batch;
      });
      count += rows.length;
      const last = rows.at(-1);
      if (!last || rows.length < BACKFILL_BATCH_SIZE) return count;
      after = last.id;
    }
  }
}

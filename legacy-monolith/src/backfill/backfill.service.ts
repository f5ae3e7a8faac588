import { Inject, Injectable, Logger } from '@nestjs/common';
import { type EntityManager, type EntityTarget, MoreThan, type ObjectLiteral } from 'typeorm';
import { UnitOfWork } from '@app/database';
import { CustomerSnapshotEvent, EVENTS_ORIGIN, IntegrationEvents, ProductSnapshotEvent } from '@app/integration-events';
import { Inbox, Outbox } from '@app/outbox';
import { ProductEntity } from '../catalog/product.entity';
import { CustomerEntity } from '../customers/customer.entity';

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
    @Inject(EVENTS_ORIGIN) private readonly origin: string,
    private readonly uow: UnitOfWork,
    private readonly outbox: Outbox,
    private readonly inbox: Inbox,
    private readonly events: IntegrationEvents,
  ) {}

  async run(): Promise<BackfillReport> {
    const customers = await this.each(CustomerEntity, async (manager, customer) => {
      await this.events.record(manager, CustomerSnapshotEvent, {
        customerId: customer.id,
        name: customer.name,
        email: customer.email,
        balanceCents: customer.balanceCents,
        createdAt: customer.createdAt.toISOString(),
        sequences: await this.sequences(manager, 'customer', customer.id),
      });
    });
    const products = await this.each(ProductEntity, async (manager, product) => {
      await this.events.record(manager, ProductSnapshotEvent, {
        productId: product.id,
        sku: product.sku,
        name: product.name,
        priceCents: product.priceCents,
        stock: product.stock,
        createdAt: product.createdAt.toISOString(),
        updatedAt: product.updatedAt.toISOString(),
        sequences: await this.sequences(manager, 'product', product.id),
      });
    });
    const report = { customers, products };
    this.logger.log(report, 'Backfill snapshots written to the outbox');
    return report;
  }

  /** What the state of an aggregate reflects: this service's own events and those it applied, per origin. */
  private async sequences(manager: EntityManager, aggregateType: string, aggregateId: string) {
    return {
      ...(await this.inbox.appliedSequences(manager, this.origin, aggregateType, aggregateId)),
      [this.origin]: await this.outbox.currentSequence(manager, aggregateType, aggregateId),
    };
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

import { randomUUID } from 'node:crypto';
import { Column, Entity, type MigrationInterface, PrimaryColumn, type QueryRunner, Table } from 'typeorm';

/** The business row each transaction writes: an order, as a service would store it. */
@Entity('bench_orders')
export class BenchOrderEntity {
  @PrimaryColumn({ type: 'varchar', length: 36 })
  id!: string;

  @Column({ name: 'customer_id', type: 'varchar', length: 36 })
  customerId!: string;

  @Column({ name: 'total_cents', type: 'int' })
  totalCents!: number;

  @Column({ name: 'placed_at', type: 'varchar', length: 24 })
  placedAt!: string;
}

export class BenchOrders1765000000000 implements MigrationInterface {
  name = 'BenchOrders1765000000000';

  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.createTable(
      new Table({
        name: 'bench_orders',
        columns: [
          { name: 'id', type: 'varchar', length: '36', isPrimary: true },
          { name: 'customer_id', type: 'varchar', length: '36' },
          { name: 'total_cents', type: 'int' },
          { name: 'placed_at', type: 'varchar', length: '24' },
        ],
      }),
    );
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.dropTable('bench_orders');
  }
}

/** The event's data: what an "order placed" integration event carries (about 200 bytes as JSON). */
export interface OrderPlaced {
  readonly orderId: string;
  readonly customerId: string;
  readonly items: readonly { readonly sku: string; readonly quantity: number; readonly unitPriceCents: number }[];
  readonly totalCents: number;
  readonly currency: string;
  readonly placedAt: string;
}

const CUSTOMERS = Array.from({ length: 100 }, () => randomUUID());

/** A new order: its row and its event's data. */
export function newOrder(n: number): { row: BenchOrderEntity; event: OrderPlaced } {
  const orderId = randomUUID();
  const customerId = CUSTOMERS[n % CUSTOMERS.length] as string;
  const placedAt = new Date().toISOString();
  const quantity = 1 + (n % 3);
  const event: OrderPlaced = {
    orderId,
    customerId,
    items: [{ sku: `SKU-${10_000 + (n % 500)}`, quantity, unitPriceCents: 1_299 }],
    totalCents: quantity * 1_299,
    currency: 'EUR',
    placedAt,
  };
  return { row: { id: orderId, customerId, totalCents: event.totalCents, placedAt }, event };
}

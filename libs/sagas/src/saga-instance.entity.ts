import { Column, Entity, PrimaryColumn } from 'typeorm';
import { TIMESTAMP_COLUMN, bigintAsNumber } from '@app/database';
import type { SagaStatus } from './saga-decisions';

/** One saga instance: where it is, its data, when its next action is due, and who advances it. */
@Entity('saga_instances')
export class SagaInstanceEntity {
  @PrimaryColumn({ type: 'uuid' })
  id!: string;

  /** The saga's name (`defineSaga`). */
  @Column({ type: 'varchar', length: 100 })
  saga!: string;

  @Column({ type: 'varchar', length: 24 })
  status!: SagaStatus;

  /** The step whose action is current (run forward, or compensated). */
  @Column({ type: 'int' })
  step!: number;

  /** The try of the current action, from 1. */
  @Column({ type: 'int' })
  attempt!: number;

  /** The instance's data (JSON), as its steps left it. */
  @Column({ type: 'text' })
  data!: string;

  @Column({ name: 'failure_step', type: 'varchar', length: 100, nullable: true })
  failureStep!: string | null;

  @Column({ name: 'failure_reason', type: 'varchar', length: 100, nullable: true })
  failureReason!: string | null;

  /** When its current action is due (epoch ms); null once it ended. */
  @Column({ name: 'due_at', type: 'bigint', nullable: true, transformer: bigintAsNumber })
  dueAt!: number | null;

  /** Who advances it now, until when (epoch ms): another takes over once the lease ran out. */
  @Column({ name: 'lease_owner', type: 'varchar', length: 64, nullable: true })
  leaseOwner!: string | null;

  @Column({ name: 'lease_until', type: 'bigint', nullable: true, transformer: bigintAsNumber })
  leaseUntil!: number | null;

  /** Every transition, one line each (JSON array of { at, note }). */
  @Column({ type: 'text' })
  history!: string;

  /**
   * What the steps' replies said they committed (`x-ficus-positions`, the highest sequence of each
   * aggregate), so the caller that waits for the end can report them to its client; null if none.
   */
  @Column({ type: 'text', nullable: true })
  positions!: string | null;

  /** Bumped by every transition: a writer that read an older one loses. */
  @Column({ type: 'int' })
  version!: number;

  @Column({ name: 'created_at', ...TIMESTAMP_COLUMN })
  createdAt!: Date;

  @Column({ name: 'updated_at', ...TIMESTAMP_COLUMN })
  updatedAt!: Date;
}

import { Column, Entity, PrimaryColumn } from 'typeorm';
import { TIMESTAMP_COLUMN } from '@app/database';

/** The admin account of `ADMIN_EMAIL` and `ADMIN_PASSWORD`; its id is the `sub` of admin tokens. */
@Entity('admin_accounts')
export class AdminAccountEntity {
  @PrimaryColumn('uuid')
  id!: string;

  /** Always lower-case. */
  @Column({ type: 'varchar', length: 320 })
  email!: string;

  @Column({ name: 'password_hash', type: 'varchar', length: 255 })
  passwordHash!: string;

  @Column({ name: 'created_at', ...TIMESTAMP_COLUMN })
  createdAt!: Date;
}

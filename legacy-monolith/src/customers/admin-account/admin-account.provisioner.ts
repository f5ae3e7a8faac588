import { randomUUID } from 'node:crypto';
import { Inject, Injectable, Logger, OnApplicationBootstrap } from '@nestjs/common';
import { UnitOfWork, isUniqueViolation } from '@app/database';
import { CustomerEntity } from '../customer.entity';
import { CustomersConfig, customersConfig } from '../customers.config';
import { PasswordHasher } from '../passwords/password-hasher';
import { AdminAccountEntity } from './admin-account.entity';

/**
 * Makes the admin account match `ADMIN_EMAIL` and `ADMIN_PASSWORD` at start-up: creates
 * it on the first start, and changes its email or password when the configuration
 * changed, keeping its id. Refuses to start when a customer already has that email.
 */
@Injectable()
export class AdminAccountProvisioner implements OnApplicationBootstrap {
  private readonly logger = new Logger('AdminAccount');

  constructor(
    private readonly uow: UnitOfWork,
    private readonly passwords: PasswordHasher,
    @Inject(customersConfig.KEY) private readonly config: CustomersConfig,
  ) {}

  async onApplicationBootstrap(): Promise<void> {
    const { adminEmail, adminPassword } = this.config;
    const existing = await this.uow.read((manager) =>
      manager.find(AdminAccountEntity, { order: { createdAt: 'ASC' } }),
    );
    const current = existing[0];
    const passwordMatches = current ? await this.passwords.verify(adminPassword, current.passwordHash) : false;
    if (current && current.email === adminEmail && passwordMatches) return;
    const passwordHash = passwordMatches && current ? current.passwordHash : await this.passwords.hash(adminPassword);
    try {
      await this.uow.transaction(async (manager) => {
        if (await manager.exists(CustomerEntity, { where: { email: adminEmail } })) {
          throw new Error(`ADMIN_EMAIL ${adminEmail} is already a customer's email; choose another ADMIN_EMAIL`);
        }
        if (current) {
          await manager.update(AdminAccountEntity, { id: current.id }, { email: adminEmail, passwordHash });
        } else {
          await manager.insert(AdminAccountEntity, {
            id: randomUUID(),
            email: adminEmail,
            passwordHash,
            createdAt: new Date(),
          });
        }
      });
    } catch (error) {
      // Another instance provisioned the same account at the same moment.
      if (!isUniqueViolation(error)) throw error;
    }
    this.logger.log({ email: adminEmail }, current ? 'Admin account updated' : 'Admin account created');
  }
}

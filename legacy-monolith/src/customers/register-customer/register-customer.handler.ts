import { randomUUID } from 'node:crypto';
import { CommandHandler, ICommandHandler } from '@nestjs/cqrs';
import { UnitOfWork, isUniqueViolation } from '@app/database';
import { CustomerRegisteredEvent, IntegrationEvents } from '@app/integration-events';
import { CustomerEmailTakenError } from '@app/shop-api';
import { AdminAccountEntity } from '../admin-account/admin-account.entity';
import { CustomerEntity } from '../customer.entity';
import { CustomerView, toCustomerView } from '../customer.view';
import { PasswordHasher } from '../passwords/password-hasher';
import { RegisterCustomerCommand } from './register-customer.command';

@CommandHandler(RegisterCustomerCommand)
export class RegisterCustomerHandler implements ICommandHandler<RegisterCustomerCommand> {
  constructor(
    private readonly uow: UnitOfWork,
    private readonly passwords: PasswordHasher,
    private readonly events: IntegrationEvents,
  ) {}

  async execute(command: RegisterCustomerCommand): Promise<CustomerView> {
    const email = command.email.toLowerCase();
    // Hash before the transaction: it is slow and needs no lock.
    const passwordHash = await this.passwords.hash(command.password);
    const now = new Date();
    const customer: CustomerEntity = {
      id: randomUUID(),
      name: command.name,
      email,
      passwordHash,
      balanceCents: 0,
      createdAt: now,
      updatedAt: now,
    };
    try {
      await this.uow.transaction(async (manager) => {
        if (await manager.exists(AdminAccountEntity, { where: { email } })) throw new CustomerEmailTakenError();
        await manager.insert(CustomerEntity, customer);
        await this.events.record(
          manager,
          CustomerRegisteredEvent,
          {
            customerId: customer.id,
            name: customer.name,
            email: customer.email,
            balanceCents: 0,
            createdAt: now.toISOString(),
          },
          { occurredAt: now },
        );
      });
    } catch (error) {
      if (isUniqueViolation(error)) throw new CustomerEmailTakenError();
      throw error;
    }
    return toCustomerView(customer);
  }
}

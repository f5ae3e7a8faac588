import { CommandHandler, ICommandHandler } from '@nestjs/cqrs';
import { AccessToken, TokenService } from '@app/auth';
import { UnitOfWork } from '@app/database';
import { InvalidCredentialsError } from '@app/shop-api';
import { AdminAccountEntity } from '../admin-account/admin-account.entity';
import { CustomerEntity } from '../customer.entity';
import { PasswordHasher } from '../passwords/password-hasher';
import { IssueTokenCommand } from './issue-token.command';

/** Customers and the admin get tokens here; an unknown email and a wrong password fail alike. */
@CommandHandler(IssueTokenCommand)
export class IssueTokenHandler implements ICommandHandler<IssueTokenCommand> {
  constructor(
    private readonly uow: UnitOfWork,
    private readonly passwords: PasswordHasher,
    private readonly tokens: TokenService,
  ) {}

  async execute(command: IssueTokenCommand): Promise<AccessToken> {
    const email = command.email.toLowerCase();
    const [customer, admin] = await this.uow.read((manager) =>
      Promise.all([
        manager.findOne(CustomerEntity, { where: { email } }),
        manager.findOne(AdminAccountEntity, { where: { email } }),
      ]),
    );
    const account = customer ?? admin;
    const valid = account
      ? await this.passwords.verify(command.password, account.passwordHash)
      : await this.passwords.verifyAgainstDecoy(command.password);
    if (!account || !valid) throw new InvalidCredentialsError();
    return this.tokens.issue({ id: account.id, role: customer ? 'customer' : 'admin' });
  }
}

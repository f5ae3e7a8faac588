import { Inject, Injectable } from '@nestjs/common';
import { CustomersConfig, customersConfig } from '../customers.config';
import { hashPassword, verifyPassword } from './scrypt-hash';

/** Hashes and checks passwords at the configured cost (`PASSWORD_SCRYPT_COST`). */
@Injectable()
export class PasswordHasher {
  /** Checked against when an email is unknown, so that both failures take the same time. */
  private decoy: Promise<string> | undefined;

  constructor(@Inject(customersConfig.KEY) private readonly config: CustomersConfig) {}

  hash(password: string): Promise<string> {
    return hashPassword(password, this.config.passwordScryptCost);
  }

  verify(password: string, stored: string): Promise<boolean> {
    return verifyPassword(password, stored);
  }

  /** Spends the time of a real check, for an account that does not exist. */
  async verifyAgainstDecoy(password: string): Promise<false> {
    this.decoy ??= this.hash('decoy password, never matches an account');
    await verifyPassword(password, await this.decoy);
    return false;
  }
}

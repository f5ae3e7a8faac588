import { Command } from '@nestjs/cqrs';
import type { CustomerView } from '../customer.view';

export class RegisterCustomerCommand extends Command<CustomerView> {
  constructor(
    readonly name: string,
    readonly email: string,
    readonly password: string,
  ) {
    super();
  }
}

import { Logger } from '@nestjs/common';
import type { INestApplicationContext } from '@nestjs/common';
import { CommandBus } from '@nestjs/cqrs';
import { DomainError } from '@app/service-defaults';
import { UnitOfWork } from '@app/database';
import { CreateProductCommand } from '../catalog/create-product/create-product.command';
import { AdminAccountEntity } from '../customers/admin-account/admin-account.entity';
import { MakeDepositCommand } from '../customers/make-deposit/make-deposit.command';
import { RegisterCustomerCommand } from '../customers/register-customer/register-customer.command';
import { CustomerEntity } from '../customers/customer.entity';
import {
  DEMO_CUSTOMER_COUNT,
  DEMO_CUSTOMER_PASSWORD,
  DEMO_PRODUCT_COUNT,
  demoCustomer,
  demoProduct,
} from './demo-data';

export interface SeedReport {
  readonly productsCreated: number;
  readonly productsFound: number;
  readonly customersCreated: number;
  readonly customersFound: number;
}

const isCode = (error: unknown, code: string) => error instanceof DomainError && error.code === code;

/**
 * Loads the demo data through the monolith's own use cases: 1,000 products and 100
 * customers, each with one deposit. Running it again changes nothing: existing SKUs and
 * emails are skipped, and each deposit carries an idempotency key of the admin's.
 */
export async function seedDemoData(app: INestApplicationContext): Promise<SeedReport> {
  const commands = app.get(CommandBus);
  const uow = app.get(UnitOfWork);
  const admin = await uow.read((manager) => manager.findOneOrFail(AdminAccountEntity, { where: {} }));
  const principal = { id: admin.id, role: 'admin' as const };
  const report = { productsCreated: 0, productsFound: 0, customersCreated: 0, customersFound: 0 };

  for (let index = 0; index < DEMO_PRODUCT_COUNT; index++) {
    try {
      await commands.execute(new CreateProductCommand(demoProduct(index)));
      report.productsCreated++;
    } catch (error) {
      if (!isCode(error, 'PRODUCT_SKU_TAKEN')) throw error;
      report.productsFound++;
    }
  }

  for (let index = 0; index < DEMO_CUSTOMER_COUNT; index++) {
    const customer = demoCustomer(index);
    const existing = await uow.read((manager) => manager.findOneBy(CustomerEntity, { email: customer.email }));
    let id = existing?.id;
    if (id) {
      report.customersFound++;
    } else {
      const registered = new RegisterCustomerCommand(customer.name, customer.email, DEMO_CUSTOMER_PASSWORD);
      id = (await commands.execute(registered)).id;
      report.customersCreated++;
    }
    // The key makes the deposit happen once, however many times the seed runs.
    await commands.execute(
      new MakeDepositCommand(principal, id, customer.depositCents, `seed-deposit-${customer.email}`),
    );
  }
  new Logger('Seed').log(report, 'Demo data loaded');
  return report;
}

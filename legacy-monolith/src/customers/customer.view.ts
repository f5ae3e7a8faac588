import { z } from 'zod';
import type { CustomerEntity } from './customer.entity';

export const CustomerSchema = z
  .object({
    id: z.uuid(),
    name: z.string(),
    email: z.string().meta({ description: 'Lower-cased.' }),
    balanceCents: z.int().min(0),
    createdAt: z.iso.datetime().meta({ description: 'ISO-8601 UTC with milliseconds.' }),
  })
  .meta({ id: 'Customer' });

export type CustomerView = z.infer<typeof CustomerSchema>;

export function toCustomerView(customer: CustomerEntity): CustomerView {
  return {
    id: customer.id,
    name: customer.name,
    email: customer.email,
    balanceCents: customer.balanceCents,
    createdAt: customer.createdAt.toISOString(),
  };
}

import { z } from 'zod';
import { apiText } from '@app/api-conventions';

export const RegisterCustomerBodySchema = z
  .strictObject({
    name: apiText().min(1).max(100),
    email: z.email().max(320).meta({ description: 'Stored lower-cased; unique case-insensitively.' }),
    password: z.string().min(8).max(128),
  })
  .meta({ id: 'RegisterCustomerRequest' });

export type RegisterCustomerBody = z.output<typeof RegisterCustomerBodySchema>;

import { z } from 'zod';

export const RegisterCustomerBodySchema = z
  .strictObject({
    name: z.string().min(1).max(100),
    email: z.email().max(320).meta({ description: 'Stored lower-cased; unique case-insensitively.' }),
    password: z.string().min(8).max(128),
  })
  .meta({ id: 'RegisterCustomerRequest' });

export type RegisterCustomerBody = z.output<typeof RegisterCustomerBodySchema>;

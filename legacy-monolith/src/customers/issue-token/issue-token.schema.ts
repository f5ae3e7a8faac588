import { z } from 'zod';
import { apiText } from '@app/api-conventions';
import { TOKEN_TTL_SECONDS } from '@app/auth';

export const IssueTokenBodySchema = z
  .strictObject({
    email: apiText().min(1).max(320),
    password: z.string().min(1).max(1024),
  })
  .meta({ id: 'TokenRequest' });

export type IssueTokenBody = z.output<typeof IssueTokenBodySchema>;

export const AccessTokenSchema = z
  .object({
    accessToken: z.string().meta({ description: 'JWT, HS256; claims sub, role, iat, exp.' }),
    tokenType: z.literal('Bearer'),
    expiresIn: z.literal(TOKEN_TTL_SECONDS).meta({ description: 'Seconds.' }),
  })
  .meta({ id: 'AccessToken' });

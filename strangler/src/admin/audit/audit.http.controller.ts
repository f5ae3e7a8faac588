import { Controller, Get, Query } from '@nestjs/common';
import { ApiBearerAuth, ApiOperation, ApiResponse, ApiTags } from '@nestjs/swagger';
import { z } from 'zod';
import { ApiErrorResponses, queryInteger } from '@app/api-conventions';
import { type AuditEntry, DEFAULT_LIST_LIMIT, MAX_LIST_LIMIT, RULE_ACTIONS, RuleStore } from '../../store';
import { ADMIN_APP_ERRORS } from '../admin.errors';

const AuditQuerySchema = z.object({
  limit: queryInteger({ min: 1, max: MAX_LIST_LIMIT, default: DEFAULT_LIST_LIMIT }),
  before: z
    .string()
    .regex(/^\d{1,20}-\d{1,20}$/, 'must be an audit entry id such as 1718000000000-0')
    .optional()
    .meta({ description: 'Only entries older than this one (its `id`), to page back.' }),
});

const AuditPageSchema = z
  .object({
    entries: z.array(
      z
        .object({
          id: z.string(),
          version: z.int(),
          action: z.enum(RULE_ACTIONS),
          subject: z.string().nullable(),
          author: z.string(),
          by: z.string().nullable().meta({
            description: 'The name of the admin token that made the change; null for the seed and restores.',
          }),
          reason: z.string(),
          at: z.iso.datetime(),
          summary: z.string(),
        })
        .meta({ id: 'AuditEntry' }),
    ),
  })
  .meta({ id: 'AuditPage' });

@ApiTags('rules')
@ApiBearerAuth()
@Controller('admin/audit')
export class AuditHttpController {
  constructor(private readonly store: RuleStore) {}

  @Get()
  @ApiOperation({ summary: 'The audit log of rule changes, newest first: who, when, why, what.' })
  @ApiResponse({ status: 200, description: 'A page of entries.', standardSchema: AuditPageSchema })
  @ApiErrorResponses(ADMIN_APP_ERRORS, 'VALIDATION_FAILED', 'UNAUTHENTICATED', 'STRANGLER_STORE_UNAVAILABLE')
  async audit(
    @Query({ schema: AuditQuerySchema }) query: z.output<typeof AuditQuerySchema>,
  ): Promise<{ entries: AuditEntry[] }> {
    return { entries: await this.store.audit(query) };
  }
}

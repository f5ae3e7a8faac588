import { Controller, Get, Inject } from '@nestjs/common';
import { ApiBearerAuth, ApiOperation, ApiResponse, ApiTags } from '@nestjs/swagger';
import { z } from 'zod';
import { ApiErrorResponses } from '@app/api-conventions';
import type { RuleSyncStatus, RuleSyncStatusSource } from '../../store';
import { RULE_SYNC } from '../admin-deps';
import { ADMIN_APP_ERRORS } from '../admin.errors';

export const SyncStatusSchema = z
  .object({
    state: z.enum(['synced', 'degraded']),
    activeVersion: z.int().meta({ description: 'The version this instance routes with.' }),
    storeVersion: z.int().nullable().meta({ description: 'The store’s current version when last read.' }),
    lastCheckAt: z.iso.datetime().nullable(),
    degradedSince: z.iso.datetime().nullable(),
    problem: z.string().nullable(),
    history: z
      .object({
        file: z.string().meta({ description: 'This instance’s history copy (`STRANGLER_HISTORY_DIR`).' }),
        version: z.int().meta({ description: 'The newest version the copy holds.' }),
        code: z
          .enum(['STRANGLER_HISTORY_COPY_CORRUPT', 'STRANGLER_HISTORY_COPY_UNAVAILABLE'])
          .nullable()
          .meta({ description: 'Why the copy cannot be used; routing goes on.' }),
        problem: z.string().nullable(),
      })
      .nullable()
      .meta({ description: 'The copy of the versions and audit written back if Redis loses them; null without one.' }),
  })
  .meta({ id: 'SyncStatus' });

@ApiTags('routing')
@ApiBearerAuth()
@Controller('admin/status')
export class StatusHttpController {
  constructor(@Inject(RULE_SYNC) private readonly sync: RuleSyncStatusSource) {}

  @Get()
  @ApiOperation({
    summary: 'This instance’s rules: the version it routes with, and whether it keeps up with the store.',
    description:
      '`history` is the instance’s copy of the versions and audit entries, written back if Redis loses them. ' +
      'Its `code` says why it cannot be used: `STRANGLER_HISTORY_COPY_CORRUPT` (a line this build did not write) or ' +
      '`STRANGLER_HISTORY_COPY_UNAVAILABLE` (the file cannot be read or written); routing goes on either way. ' +
      '`STRANGLER_HISTORY_COPY_DIVERGED` is only logged: Redis held another history, the copy was set aside.',
  })
  @ApiResponse({ status: 200, description: 'The sync status.', standardSchema: SyncStatusSchema })
  @ApiErrorResponses(ADMIN_APP_ERRORS, 'UNAUTHENTICATED')
  status(): RuleSyncStatus {
    return this.sync.status();
  }
}

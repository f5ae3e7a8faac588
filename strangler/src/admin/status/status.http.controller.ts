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
  })
  @ApiResponse({ status: 200, description: 'The sync status.', standardSchema: SyncStatusSchema })
  @ApiErrorResponses(ADMIN_APP_ERRORS, 'UNAUTHENTICATED')
  status(): RuleSyncStatus {
    return this.sync.status();
  }
}

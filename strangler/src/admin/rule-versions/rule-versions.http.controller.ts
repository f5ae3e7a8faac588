import { Controller, Get, Param, Query } from '@nestjs/common';
import { ApiBearerAuth, ApiOperation, ApiParam, ApiResponse, ApiTags } from '@nestjs/swagger';
import { z } from 'zod';
import { ApiErrorResponses, queryInteger } from '@app/api-conventions';
import {
  type ChangeSummary,
  DEFAULT_LIST_LIMIT,
  MAX_LIST_LIMIT,
  RuleStore,
  type RuleVersion,
  type VersionPage,
} from '../../store';
import { ADMIN_APP_ERRORS } from '../admin.errors';
import { ChangeSummarySchema, RuleVersionSchema, VersionNumberSchema, VersionPageSchema } from '../rule-version.schema';

const VersionListQuerySchema = z.object({
  limit: queryInteger({ min: 1, max: MAX_LIST_LIMIT, default: DEFAULT_LIST_LIMIT }),
  before: VersionNumberSchema.optional().meta({ description: 'Only versions below this one (to page back).' }),
});

const DiffQuerySchema = z.object({ from: VersionNumberSchema, to: VersionNumberSchema });

@ApiTags('rules')
@ApiBearerAuth()
@Controller('admin/rules')
export class RuleVersionsHttpController {
  constructor(private readonly store: RuleStore) {}

  @Get('versions')
  @ApiOperation({ summary: 'The versions, newest first, without their documents.' })
  @ApiResponse({ status: 200, description: 'A page of versions.', standardSchema: VersionPageSchema })
  @ApiErrorResponses(ADMIN_APP_ERRORS, 'VALIDATION_FAILED', 'UNAUTHENTICATED', 'STRANGLER_STORE_UNAVAILABLE')
  list(
    @Query({ schema: VersionListQuerySchema }) query: z.output<typeof VersionListQuerySchema>,
  ): Promise<VersionPage> {
    return this.store.list(query);
  }

  @Get('versions/:version')
  @ApiOperation({ summary: 'One version, with its document.' })
  @ApiParam({ name: 'version', type: 'integer', example: 3 })
  @ApiResponse({ status: 200, description: 'The version.', standardSchema: RuleVersionSchema })
  @ApiErrorResponses(
    ADMIN_APP_ERRORS,
    'VALIDATION_FAILED',
    'UNAUTHENTICATED',
    'STRANGLER_VERSION_NOT_FOUND',
    'STRANGLER_STORE_UNAVAILABLE',
  )
  get(@Param('version', { schema: VersionNumberSchema }) version: number): Promise<RuleVersion> {
    return this.store.get(version);
  }

  @Get('diff')
  @ApiOperation({ summary: 'What changed from version `from` to version `to` (any two, either order).' })
  @ApiResponse({ status: 200, description: 'The changes.', standardSchema: ChangeSummarySchema })
  @ApiErrorResponses(
    ADMIN_APP_ERRORS,
    'VALIDATION_FAILED',
    'UNAUTHENTICATED',
    'STRANGLER_VERSION_NOT_FOUND',
    'STRANGLER_STORE_UNAVAILABLE',
  )
  diff(@Query({ schema: DiffQuerySchema }) query: z.output<typeof DiffQuerySchema>): Promise<ChangeSummary> {
    return this.store.diff(query.from, query.to);
  }
}

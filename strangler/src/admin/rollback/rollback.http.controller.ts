import { Body, Controller, Headers, Post, Res } from '@nestjs/common';
import { ApiBearerAuth, ApiHeader, ApiOperation, ApiResponse, ApiTags } from '@nestjs/swagger';
import type { Response } from 'express';
import { z } from 'zod';
import { ApiErrorResponses } from '@app/api-conventions';
import { RuleStore, type WriteResult } from '../../store';
import { type AdminCaller, CurrentAdminCaller } from '../admin-token/admin-caller';
import { ADMIN_APP_ERRORS } from '../admin.errors';
import { WriteResultSchema } from '../rule-version.schema';
import { AUTHOR_HEADER, WriteFieldsShape, writeMeta } from '../write-request';

const RollbackBodySchema = z
  .strictObject({
    toVersion: z.int().min(1).meta({ description: 'The version whose document the new version repeats.' }),
    ...WriteFieldsShape,
  })
  .meta({ id: 'RollbackRequest' });

@ApiTags('rules')
@ApiBearerAuth()
@Controller('admin/rules/rollback')
export class RollbackHttpController {
  constructor(private readonly store: RuleStore) {}

  @Post()
  @ApiOperation({
    summary: 'Roll back to an earlier version: a new version whose document is that version’s.',
    description: 'Answers 201 with the new version, or 200 when the current document is already that one.',
  })
  @ApiHeader({ name: AUTHOR_HEADER, required: false, description: 'Who rolls back, unless the body says.' })
  @ApiResponse({ status: 201, description: 'The new version.', standardSchema: WriteResultSchema })
  @ApiResponse({ status: 200, description: 'Nothing changed.', standardSchema: WriteResultSchema })
  @ApiErrorResponses(
    ADMIN_APP_ERRORS,
    'VALIDATION_FAILED',
    'MALFORMED_JSON',
    'UNAUTHENTICATED',
    'FORBIDDEN',
    'STRANGLER_VERSION_NOT_FOUND',
    'STRANGLER_VERSION_CONFLICT',
    'STRANGLER_RULES_INVALID',
    'STRANGLER_STORE_UNAVAILABLE',
  )
  async rollback(
    @Body({ schema: RollbackBodySchema }) body: z.output<typeof RollbackBodySchema>,
    @Headers(AUTHOR_HEADER) author: string | undefined,
    @CurrentAdminCaller() caller: AdminCaller,
    @Res({ passthrough: true }) response: Response,
  ): Promise<WriteResult> {
    const result = await this.store.rollback(body.toVersion, writeMeta(body, author, caller));
    response.status(result.changed ? 201 : 200);
    return result;
  }
}

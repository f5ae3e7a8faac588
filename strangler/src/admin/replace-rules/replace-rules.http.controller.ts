import { Body, Controller, Headers, Put, Res } from '@nestjs/common';
import { ApiBearerAuth, ApiHeader, ApiOperation, ApiResponse, ApiTags } from '@nestjs/swagger';
import type { Response } from 'express';
import { ApiErrorResponses } from '@app/api-conventions';
import { RuleStore, type WriteResult } from '../../store';
import { type AdminCaller, CurrentAdminCaller } from '../admin-token/admin-caller';
import { ADMIN_APP_ERRORS } from '../admin.errors';
import { WriteResultSchema } from '../rule-version.schema';
import { AUTHOR_HEADER, writeMeta } from '../write-request';
import { type ReplaceRulesBody, ReplaceRulesBodySchema } from './replace-rules.schema';

@ApiTags('rules')
@ApiBearerAuth()
@Controller('admin/rules')
export class ReplaceRulesHttpController {
  constructor(private readonly store: RuleStore) {}

  @Put()
  @ApiOperation({
    summary: 'Replace the whole rules document, as a new version.',
    description: 'Answers 201 with the new version, or 200 when the document equals the current one (no version).',
  })
  @ApiHeader({ name: AUTHOR_HEADER, required: false, description: 'Who makes the change, unless the body says.' })
  @ApiResponse({ status: 201, description: 'The new version.', standardSchema: WriteResultSchema })
  @ApiResponse({ status: 200, description: 'Nothing changed.', standardSchema: WriteResultSchema })
  @ApiErrorResponses(
    ADMIN_APP_ERRORS,
    'STRANGLER_RULES_INVALID',
    'VALIDATION_FAILED',
    'MALFORMED_JSON',
    'PAYLOAD_TOO_LARGE',
    'UNAUTHENTICATED',
    'FORBIDDEN',
    'STRANGLER_VERSION_CONFLICT',
    'STRANGLER_STORE_UNAVAILABLE',
  )
  async replace(
    @Body({ schema: ReplaceRulesBodySchema }) body: ReplaceRulesBody,
    @Headers(AUTHOR_HEADER) author: string | undefined,
    @CurrentAdminCaller() caller: AdminCaller,
    @Res({ passthrough: true }) response: Response,
  ): Promise<WriteResult> {
    const result = await this.store.replace(body.document, writeMeta(body, author, caller));
    response.status(result.changed ? 201 : 200);
    return result;
  }
}

import { Body, Controller, Headers, Param, Patch, Res } from '@nestjs/common';
import { ApiBearerAuth, ApiHeader, ApiOperation, ApiParam, ApiResponse, ApiTags } from '@nestjs/swagger';
import type { Response } from 'express';
import { ApiErrorResponses } from '@app/api-conventions';
import { RuleStore, type WriteResult } from '../../store';
import { type AdminCaller, CurrentAdminCaller } from '../admin-token/admin-caller';
import { ADMIN_APP_ERRORS } from '../admin.errors';
import { type RouteChangeBody, RouteChangeBodySchema, routeChangeFields } from '../route-change.schema';
import { WriteResultSchema } from '../rule-version.schema';
import { AUTHOR_HEADER, writeMeta } from '../write-request';

@ApiTags('rules')
@ApiBearerAuth()
@Controller('admin/rules/groups')
export class ChangeGroupHttpController {
  constructor(private readonly store: RuleStore) {}

  @Patch(':name')
  @ApiOperation({
    summary: 'Change every route of a group alike, so that the capability moves as one.',
    description:
      'The same fields as a route change, applied to each route of the group. Answers 201 with the new version, ' +
      'or 200 when nothing changed.',
  })
  @ApiParam({ name: 'name', example: 'orders' })
  @ApiHeader({ name: AUTHOR_HEADER, required: false, description: 'Who makes the change, unless the body says.' })
  @ApiResponse({ status: 201, description: 'The new version.', standardSchema: WriteResultSchema })
  @ApiResponse({ status: 200, description: 'Nothing changed.', standardSchema: WriteResultSchema })
  @ApiErrorResponses(
    ADMIN_APP_ERRORS,
    'VALIDATION_FAILED',
    'MALFORMED_JSON',
    'STRANGLER_RULES_INVALID',
    'UNAUTHENTICATED',
    'FORBIDDEN',
    'STRANGLER_GROUP_NOT_FOUND',
    'STRANGLER_VERSION_CONFLICT',
    'STRANGLER_STORE_UNAVAILABLE',
  )
  async change(
    @Param('name') name: string,
    @Body({ schema: RouteChangeBodySchema }) body: RouteChangeBody,
    @Headers(AUTHOR_HEADER) author: string | undefined,
    @CurrentAdminCaller() caller: AdminCaller,
    @Res({ passthrough: true }) response: Response,
  ): Promise<WriteResult> {
    const result = await this.store.changeGroup(name, routeChangeFields(body), writeMeta(body, author, caller));
    response.status(result.changed ? 201 : 200);
    return result;
  }
}

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
@Controller('admin/rules/routes')
export class ChangeRouteHttpController {
  constructor(private readonly store: RuleStore) {}

  @Patch(':id')
  @ApiOperation({
    summary: 'Change one route: mode, target, percent, stickyBy, timeoutMs, fallback (null removes a field).',
    description:
      'A route of a group moves with its group: changing its mode, target, percent or stickyBy alone is refused ' +
      '(`STRANGLER_RULES_INVALID`); change the group instead. Answers 201 with the new version, or 200 when nothing changed.',
  })
  @ApiParam({ name: 'id', example: 'orders-read' })
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
    'STRANGLER_ROUTE_NOT_FOUND',
    'STRANGLER_VERSION_CONFLICT',
    'STRANGLER_STORE_UNAVAILABLE',
  )
  async change(
    @Param('id') id: string,
    @Body({ schema: RouteChangeBodySchema }) body: RouteChangeBody,
    @Headers(AUTHOR_HEADER) author: string | undefined,
    @CurrentAdminCaller() caller: AdminCaller,
    @Res({ passthrough: true }) response: Response,
  ): Promise<WriteResult> {
    const result = await this.store.changeRoute(id, routeChangeFields(body), writeMeta(body, author, caller));
    response.status(result.changed ? 201 : 200);
    return result;
  }
}

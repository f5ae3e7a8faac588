import { Body, Controller, HttpCode, Inject, Post } from '@nestjs/common';
import { ApiBearerAuth, ApiOperation, ApiResponse, ApiTags } from '@nestjs/swagger';
import { ApiErrorResponses } from '@app/api-conventions';
import { ActiveRules } from '../../rules';
import { DATA_PLANE_STATS } from '../admin-deps';
import { ReadOnlyAllowed } from '../admin-token/admin-role.guard';
import { ADMIN_APP_ERRORS } from '../admin.errors';
import type { DataPlaneStats } from '../data-plane-stats';
import { explainRequest } from './explain-request';
import { type ExplainBody, ExplainBodySchema, type Explanation, ExplanationSchema } from './explain.schema';

@ApiTags('routing')
@ApiBearerAuth()
@Controller('admin/explain')
export class ExplainHttpController {
  constructor(
    private readonly rules: ActiveRules,
    @Inject(DATA_PLANE_STATS) private readonly stats: DataPlaneStats,
  ) {}

  @Post()
  @ReadOnlyAllowed()
  @HttpCode(200)
  @ApiOperation({
    summary: 'Where a request (method, path, headers) would go, and why, with the rules this instance routes with.',
    description: 'Works from memory, so it answers while Redis is away too.',
  })
  @ApiResponse({ status: 200, description: 'The decision.', standardSchema: ExplanationSchema })
  @ApiErrorResponses(ADMIN_APP_ERRORS, 'VALIDATION_FAILED', 'MALFORMED_JSON', 'UNAUTHENTICATED')
  async explain(@Body({ schema: ExplainBodySchema }) body: ExplainBody): Promise<Explanation> {
    const rules = this.rules.current;
    const pin = await this.stats.idempotencyPin?.(body.method, body.headers);
    return explainRequest(rules, body, this.stats.trippedRoutes(), pin, this.stats.refusesInternal?.bind(this.stats));
  }
}

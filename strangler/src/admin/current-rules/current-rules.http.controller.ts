import { Controller, Get } from '@nestjs/common';
import { ApiBearerAuth, ApiOperation, ApiResponse, ApiTags } from '@nestjs/swagger';
import { ApiErrorResponses } from '@app/api-conventions';
import { RuleStore, type RuleVersion, VersionNotFoundError } from '../../store';
import { ADMIN_APP_ERRORS } from '../admin.errors';
import { RuleVersionSchema } from '../rule-version.schema';

@ApiTags('rules')
@ApiBearerAuth()
@Controller('admin/rules')
export class CurrentRulesHttpController {
  constructor(private readonly store: RuleStore) {}

  @Get()
  @ApiOperation({ summary: 'The current rules, with their version, author, reason and what changed.' })
  @ApiResponse({ status: 200, description: 'The current version.', standardSchema: RuleVersionSchema })
  @ApiErrorResponses(ADMIN_APP_ERRORS, 'UNAUTHENTICATED', 'STRANGLER_STORE_UNAVAILABLE')
  async current(): Promise<RuleVersion> {
    const current = await this.store.current();
    if (!current) throw new VersionNotFoundError(1);
    return current;
  }
}

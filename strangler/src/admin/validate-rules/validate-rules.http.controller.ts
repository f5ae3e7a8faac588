import { Body, Controller, HttpCode, Post } from '@nestjs/common';
import { ApiBearerAuth, ApiOperation, ApiResponse, ApiTags } from '@nestjs/swagger';
import { z } from 'zod';
import { ApiErrorResponses } from '@app/api-conventions';
import { RuleStore, type ValidationResult } from '../../store';
import { ReadOnlyAllowed } from '../admin-token/admin-role.guard';
import { ADMIN_APP_ERRORS } from '../admin.errors';
import { RulesDocumentField } from '../replace-rules/replace-rules.schema';
import { ChangeSummarySchema } from '../rule-version.schema';

const ValidateRulesBodySchema = z.strictObject({ document: RulesDocumentField }).meta({ id: 'ValidateRulesRequest' });

const ValidationResultSchema = z
  .object({
    valid: z.literal(true),
    basedOn: z.int().meta({ description: 'The current version the summary compares with.' }),
    summary: ChangeSummarySchema,
    warnings: z.array(z.string()),
  })
  .meta({ id: 'ValidationResult' });

@ApiTags('rules')
@ApiBearerAuth()
@Controller('admin/rules/validate')
export class ValidateRulesHttpController {
  constructor(private readonly store: RuleStore) {}

  @Post()
  @ReadOnlyAllowed()
  @HttpCode(200)
  @ApiOperation({
    summary: 'Check a rules document and say what it would change, without writing (`apply --dry-run`).',
  })
  @ApiResponse({ status: 200, description: 'The document is valid.', standardSchema: ValidationResultSchema })
  @ApiErrorResponses(
    ADMIN_APP_ERRORS,
    'STRANGLER_RULES_INVALID',
    'VALIDATION_FAILED',
    'MALFORMED_JSON',
    'PAYLOAD_TOO_LARGE',
    'UNAUTHENTICATED',
    'STRANGLER_STORE_UNAVAILABLE',
  )
  async validate(
    @Body({ schema: ValidateRulesBodySchema }) body: z.output<typeof ValidateRulesBodySchema>,
  ): Promise<ValidationResult & { valid: true }> {
    return { valid: true, ...(await this.store.validate(body.document)) };
  }
}

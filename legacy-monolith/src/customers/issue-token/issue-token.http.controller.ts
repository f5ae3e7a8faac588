import { Body, Controller, HttpCode, Post } from '@nestjs/common';
import { CommandBus } from '@nestjs/cqrs';
import { ApiOperation, ApiResponse, ApiTags } from '@nestjs/swagger';
import { ApiErrorResponses } from '@app/api-conventions';
import { AccessToken, Public } from '@app/auth';
import { LEGACY_ERRORS } from '../../legacy-errors';
import { IssueTokenCommand } from './issue-token.command';
import { AccessTokenSchema, IssueTokenBody, IssueTokenBodySchema } from './issue-token.schema';

@ApiTags('customers')
@Controller('api/auth')
export class IssueTokenHttpController {
  constructor(private readonly commands: CommandBus) {}

  @Public()
  @Post('token')
  @HttpCode(200)
  @ApiOperation({
    summary: 'Exchange an email and password for an access token (customers and the admin).',
    description: 'The token is valid for 15 minutes. The email is compared case-insensitively.',
  })
  @ApiResponse({ status: 200, description: 'A bearer token.', standardSchema: AccessTokenSchema })
  @ApiErrorResponses(LEGACY_ERRORS, 'VALIDATION_FAILED', 'MALFORMED_JSON', 'PAYLOAD_TOO_LARGE', 'INVALID_CREDENTIALS')
  issue(@Body({ schema: IssueTokenBodySchema }) body: IssueTokenBody): Promise<AccessToken> {
    return this.commands.execute(new IssueTokenCommand(body.email, body.password));
  }
}

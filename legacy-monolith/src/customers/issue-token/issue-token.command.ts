import { Command } from '@nestjs/cqrs';
import type { AccessToken } from '@app/auth';

export class IssueTokenCommand extends Command<AccessToken> {
  constructor(
    readonly email: string,
    readonly password: string,
  ) {
    super();
  }
}

import { Inject, Injectable, Logger, OnModuleInit } from '@nestjs/common';
import { AuthConfig, authConfig } from './auth.config';
import { AccessToken, JwtCodec } from './jwt-codec';
import type { Principal } from './principal';

/** Issues and verifies access tokens with `JWT_SECRET`. */
@Injectable()
export class TokenService implements OnModuleInit {
  private readonly codec: JwtCodec;

  constructor(@Inject(authConfig.KEY) private readonly config: AuthConfig) {
    this.codec = new JwtCodec(config.jwtSecret);
  }

  onModuleInit(): void {
    if (this.config.usingDevelopmentSecret) {
      new Logger('Auth').warn(
        'JWT_SECRET is not set: tokens are signed with the public development secret. Set JWT_SECRET outside development.',
      );
    }
  }

  issue(principal: Principal): AccessToken {
    return this.codec.issue(principal);
  }

  verifyHeader(header: string | undefined): Principal {
    return this.codec.verifyHeader(header);
  }
}

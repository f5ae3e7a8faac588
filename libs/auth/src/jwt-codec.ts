import jwt from 'jsonwebtoken';
import { UnauthenticatedError } from './auth.errors';
import { Principal, ROLES, Role } from './principal';

/** Access tokens live 15 minutes. */
export const TOKEN_TTL_SECONDS = 900;

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

export interface AccessToken {
  readonly accessToken: string;
  readonly tokenType: 'Bearer';
  readonly expiresIn: number;
}

/**
 * Signs and verifies the access tokens of the public API: JWT, HS256 with the shared
 * secret, claims `sub`, `role`, `iat` and `exp`. Has no framework dependency, so the
 * facade can verify tokens with it too.
 */
export class JwtCodec {
  constructor(private readonly secret: string) {
    if (secret.length === 0) throw new Error('JwtCodec needs a non-empty secret');
  }

  issue(principal: Principal, nowMs = Date.now()): AccessToken {
    const iat = Math.floor(nowMs / 1000);
    const accessToken = jwt.sign(
      { sub: principal.id, role: principal.role, iat, exp: iat + TOKEN_TTL_SECONDS },
      this.secret,
      { algorithm: 'HS256' },
    );
    return { accessToken, tokenType: 'Bearer', expiresIn: TOKEN_TTL_SECONDS };
  }

  /** The token's principal; throws {@link UnauthenticatedError} saying what is wrong with it. */
  verify(token: string, nowMs = Date.now()): Principal {
    let claims: unknown;
    try {
      claims = jwt.verify(token, this.secret, {
        algorithms: ['HS256'],
        clockTimestamp: Math.floor(nowMs / 1000),
      });
    } catch (error) {
      if (error instanceof jwt.TokenExpiredError) throw new UnauthenticatedError('The token has expired.');
      throw new UnauthenticatedError('The token is malformed or its signature is invalid.');
    }
    const { sub, role, exp, iat } = (claims ?? {}) as Record<string, unknown>;
    if (
      typeof sub !== 'string' ||
      !UUID.test(sub) ||
      !ROLES.includes(role as Role) ||
      typeof exp !== 'number' ||
      typeof iat !== 'number'
    ) {
      throw new UnauthenticatedError('The token lacks the claims sub, role, iat and exp.');
    }
    return { id: sub.toLowerCase(), role: role as Role };
  }

  /** The principal of an `Authorization` header value (`Bearer <token>`). */
  verifyHeader(header: string | undefined, nowMs = Date.now()): Principal {
    if (!header) throw new UnauthenticatedError('This route needs an Authorization: Bearer <token> header.');
    const match = /^Bearer +([^ ]+) *$/i.exec(header);
    if (!match?.[1]) throw new UnauthenticatedError('The Authorization header must be "Bearer <token>".');
    return this.verify(match[1], nowMs);
  }
}

import jwt from 'jsonwebtoken';
import { JwtCodec, TOKEN_TTL_SECONDS } from './jwt-codec';

const SECRET = 'unit-test-secret';
const ID = '5f1f1b9e-7c1a-4a43-9a4e-1f0b2b7d8c01';
const NOW = Date.UTC(2026, 10, 22, 12, 0, 0);

describe('JwtCodec', () => {
  const codec = new JwtCodec(SECRET);

  it('issues an HS256 token with sub, role, iat and exp 15 minutes later', () => {
    const token = codec.issue({ id: ID, role: 'customer' }, NOW);
    expect(token.tokenType).toBe('Bearer');
    expect(token.expiresIn).toBe(TOKEN_TTL_SECONDS);
    const decoded = jwt.decode(token.accessToken, { complete: true });
    expect(decoded?.header).toEqual({ alg: 'HS256', typ: 'JWT' });
    expect(decoded?.payload).toEqual({ sub: ID, role: 'customer', iat: NOW / 1000, exp: NOW / 1000 + 900 });
  });

  it('verifies its own tokens until they expire', () => {
    const { accessToken } = codec.issue({ id: ID, role: 'admin' }, NOW);
    expect(codec.verify(accessToken, NOW + 899_000)).toEqual({ id: ID, role: 'admin' });
    expect(() => codec.verify(accessToken, NOW + 900_000)).toThrow('The token has expired.');
  });

  it.each([
    ['another secret', () => jwt.sign({ sub: ID, role: 'customer', exp: NOW / 1000 + 60, iat: NOW / 1000 }, 'other')],
    ['alg none', () => jwt.sign({ sub: ID, role: 'customer', exp: NOW / 1000 + 60 }, '', { algorithm: 'none' })],
    ['HS512', () => jwt.sign({ sub: ID, role: 'customer', exp: NOW / 1000 + 60 }, SECRET, { algorithm: 'HS512' })],
    ['garbage', () => 'not.a.token'],
  ])('refuses a token signed with %s', (_name, make) => {
    expect(() => codec.verify(make(), NOW)).toThrow('The token is malformed or its signature is invalid.');
  });

  it.each([
    ['no role', { sub: ID }],
    ['an unknown role', { sub: ID, role: 'root' }],
    ['a sub that is not a UUID', { sub: 'alice', role: 'customer' }],
  ])('refuses a well-signed token with %s', (_name, claims) => {
    const token = jwt.sign({ ...claims, iat: NOW / 1000, exp: NOW / 1000 + 60 }, SECRET);
    expect(() => codec.verify(token, NOW)).toThrow('The token lacks the claims sub, role, iat and exp.');
  });

  it('refuses a token without exp', () => {
    const token = jwt.sign({ sub: ID, role: 'customer', iat: NOW / 1000 }, SECRET);
    expect(() => codec.verify(token, NOW)).toThrow('The token lacks the claims sub, role, iat and exp.');
  });

  it.each([
    [undefined, 'This route needs an Authorization: Bearer <token> header.'],
    ['Basic abc', 'The Authorization header must be "Bearer <token>".'],
    ['Bearer', 'The Authorization header must be "Bearer <token>".'],
    ['Bearer a b', 'The Authorization header must be "Bearer <token>".'],
  ])('refuses the header %j', (header, message) => {
    expect(() => codec.verifyHeader(header, NOW)).toThrow(message);
  });

  it('accepts the scheme in any case', () => {
    const { accessToken } = codec.issue({ id: ID, role: 'customer' }, NOW);
    expect(codec.verifyHeader(`bearer ${accessToken}`, NOW)).toEqual({ id: ID, role: 'customer' });
  });

  it('needs a secret', () => {
    expect(() => new JwtCodec('')).toThrow('JwtCodec needs a non-empty secret');
  });
});

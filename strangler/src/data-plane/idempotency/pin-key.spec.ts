import { JwtCodec } from '@app/auth';
import { callerOf, pinKeyOf } from './pin-key';

const jwt = new JwtCodec('a-secret-for-the-pin-key-spec-0123456789');
const ANA = '11111111-1111-4111-8111-111111111111';
const BEN = '22222222-2222-4222-8222-222222222222';
const bearer = (id: string, codec = jwt) => `Bearer ${codec.issue({ id, role: 'customer' }).accessToken}`;
const keyed = (key: string, authorization?: string) => ({ 'idempotency-key': key, authorization });

describe('the pin of an Idempotency-Key', () => {
  it('names the caller by the JWT sub, so two tokens of one customer share pins', () => {
    const first = bearer(ANA, jwt);
    const second = `Bearer ${jwt.issue({ id: ANA, role: 'customer' }, Date.now() - 60_000).accessToken}`;
    expect(first).not.toBe(second);
    expect(callerOf(first, jwt)).toBe(`sub:${ANA}`);
    expect(pinKeyOf('POST', keyed('k-1', first), jwt, 'p:')).toBe(pinKeyOf('POST', keyed('k-1', second), jwt, 'p:'));
  });

  it('hashes an Authorization that does not verify, and the empty one of an anonymous caller', () => {
    const forged = bearer(ANA, new JwtCodec('another-secret-0123456789abcdef'));
    expect(callerOf(forged, jwt)).toMatch(/^auth:[0-9a-f]{64}$/);
    expect(callerOf(forged, jwt)).not.toBe(callerOf(bearer(ANA), jwt));
    expect(callerOf(undefined, jwt)).toBe(callerOf('', jwt));
    expect(callerOf('Basic YW5hOnB3', undefined)).not.toBe(callerOf('Basic YmVuOnB3', undefined));
  });

  it('differs by caller and by key, and holds neither in clear', () => {
    const pins = [
      pinKeyOf('POST', keyed('k-1', bearer(ANA)), jwt, 'p:'),
      pinKeyOf('POST', keyed('k-2', bearer(ANA)), jwt, 'p:'),
      pinKeyOf('POST', keyed('k-1', bearer(BEN)), jwt, 'p:'),
      pinKeyOf('POST', keyed('k-1'), jwt, 'p:'),
    ];
    expect(new Set(pins).size).toBe(4);
    for (const pin of pins) expect(pin).toMatch(/^p:strangler:idem:[0-9a-f]{64}$/);
  });

  it.each(['POST', 'PUT', 'PATCH', 'DELETE'])('pins a keyed %s', (method) => {
    expect(pinKeyOf(method, keyed('k-1'), jwt, 'p:')).toBeDefined();
  });

  it.each([
    ['a read', 'GET', keyed('k-1')],
    ['a HEAD', 'HEAD', keyed('k-1')],
    ['a write without a key', 'POST', {}],
    ['an empty key', 'POST', keyed('')],
    ['a key of 129 characters', 'POST', keyed('k'.repeat(129))],
    ['a key with a control character', 'POST', keyed('k\u0001')],
  ])('pins nothing for %s', (_, method, headers) => {
    expect(pinKeyOf(method, headers, jwt, 'p:')).toBeUndefined();
  });
});

import { requestFingerprint } from './request-fingerprint';

describe('requestFingerprint', () => {
  const body = { items: [{ productId: 'a', quantity: 1 }], note: { b: 1, a: 2 } };

  it('is the same whatever the order of object fields', () => {
    const reordered = { note: { a: 2, b: 1 }, items: [{ quantity: 1, productId: 'a' }] };
    expect(requestFingerprint('place-order', '', reordered)).toBe(requestFingerprint('place-order', '', body));
  });

  it.each([
    ['another operation', () => requestFingerprint('deposit', '', body)],
    ['another target', () => requestFingerprint('place-order', 'x', body)],
    ['another value', () => requestFingerprint('place-order', '', { ...body, note: { a: 3, b: 1 } })],
    [
      'another array order',
      () => requestFingerprint('place-order', '', { ...body, items: [...body.items, body.items[0]] }),
    ],
  ])('differs for %s', (_name, other) => {
    expect(other()).not.toBe(requestFingerprint('place-order', '', body));
  });

  it('is a hex SHA-256', () => {
    expect(requestFingerprint('op', 't', {})).toMatch(/^[0-9a-f]{64}$/);
  });
});

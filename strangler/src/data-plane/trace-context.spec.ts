import { isValidTraceparent, newTraceparent, requestIdFrom } from './trace-context';

describe('trace context', () => {
  it('keeps an acceptable X-Request-Id and replaces others with a UUID', () => {
    expect(requestIdFrom('abc-123')).toBe('abc-123');
    for (const bad of [undefined, '', 'has space', 'x'.repeat(129), ['a', 'b']])
      expect(requestIdFrom(bad)).toMatch(/^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/);
  });

  it.each([
    ['00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01', true],
    ['01-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-00', true],
    ['ff-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01', false],
    ['00-00000000000000000000000000000000-00f067aa0ba902b7-01', false],
    ['00-4bf92f3577b34da6a3ce929d0e0e4736-0000000000000000-01', false],
    ['00-4BF92F3577B34DA6A3CE929D0E0E4736-00f067aa0ba902b7-01', false],
    ['garbage', false],
  ])('reads traceparent %s as valid: %s', (value, valid) => {
    expect(isValidTraceparent(value)).toBe(valid);
  });

  it('makes new, distinct, valid traceparents', () => {
    const made = new Set(Array.from({ length: 1_000 }, () => newTraceparent()));
    expect(made.size).toBe(1_000);
    for (const value of made) expect(isValidTraceparent(value)).toBe(true);
  });
});

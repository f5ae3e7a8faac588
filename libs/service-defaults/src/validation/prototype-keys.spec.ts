import { prototypeKeysIn } from './prototype-keys';

describe('prototypeKeysIn', () => {
  it('finds own __proto__, constructor and prototype keys with where they are', () => {
    const body = JSON.parse(
      '{"a":1,"__proto__":{"x":1},"items":[{"constructor":{"prototype":{}}}],"nested":{"prototype":2}}',
    );
    expect(prototypeKeysIn(body)).toEqual([
      { path: '', key: '__proto__' },
      { path: 'items.0', key: 'constructor' },
      { path: 'items.0.constructor', key: 'prototype' },
      { path: 'nested', key: 'prototype' },
    ]);
  });

  it.each([[{ a: 1, b: [1, { c: 'constructor' }] }], [null], ['__proto__'], [[1, 2]], [new Date()]])(
    'finds nothing in %j',
    (value) => {
      expect(prototypeKeysIn(value)).toEqual([]);
    },
  );

  it('walks a value with a cycle once', () => {
    const value: Record<string, unknown> = { a: 1 };
    value.self = value;
    expect(prototypeKeysIn(value)).toEqual([]);
  });
});

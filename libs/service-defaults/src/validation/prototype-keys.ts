import { types } from 'node:util';

/** Keys that would reach an object's prototype or constructor if copied by assignment. */
const PROTOTYPE_KEYS = ['__proto__', 'constructor', 'prototype'] as const;

/**
 * Every own `__proto__`, `constructor` or `prototype` key of a parsed body (`JSON.parse`
 * creates an own `__proto__` property), with the dotted path of the object holding it
 * (`''` for the body itself). Walks with its own stack, each object once.
 */
export function prototypeKeysIn(value: unknown): { path: string; key: string }[] {
  const found: { path: string; key: string }[] = [];
  const visited = new WeakSet<object>();
  const stack: [unknown, string][] = [[value, '']];
  while (stack.length > 0) {
    const [current, path] = stack.pop()!;
    if (current === null || typeof current !== 'object' || types.isTypedArray(current) || visited.has(current)) {
      continue;
    }
    visited.add(current);
    const record = current as Record<string, unknown>;
    if (!Array.isArray(current)) {
      for (const key of PROTOTYPE_KEYS) if (Object.hasOwn(record, key)) found.push({ path, key });
    }
    for (const key of Object.keys(record)) stack.push([record[key], path ? `${path}.${key}` : key]);
  }
  return found.sort((a, b) => (a.path === b.path ? 0 : a.path < b.path ? -1 : 1));
}

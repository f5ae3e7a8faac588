import type { AnswerDifference } from './compare-answers';
import type { JsonPath } from './json-path';
import { type PathPattern, matchesAny } from './path-pattern';

export const REDACTED = '[redacted]';

/** Headers never kept in a difference: they carry credentials. */
export const SECRET_HEADERS: ReadonlySet<string> = new Set([
  'authorization',
  'cookie',
  'set-cookie',
  'proxy-authorization',
]);

/**
 * A difference as it may be kept and shown: a credential header's values, and every body value at
 * or below a place `fields` matches (e.g. `**.password`, `token`), replaced by `[redacted]`, also
 * inside an object or array that differs as a whole.
 */
export function redactDifference(difference: AnswerDifference, fields: readonly PathPattern[]): AnswerDifference {
  if (difference.place.startsWith('header:') && SECRET_HEADERS.has(difference.place.slice('header:'.length))) {
    return { ...difference, legacy: mask(difference.legacy), target: mask(difference.target) };
  }
  const path = difference.path;
  if (!path || fields.length === 0) return difference;
  return {
    ...difference,
    legacy: redactValue(difference.legacy, path, fields),
    target: redactValue(difference.target, path, fields),
  };
}

function redactValue(value: unknown, at: JsonPath, fields: readonly PathPattern[]): unknown {
  if (value === undefined) return undefined;
  if (matchesAny(fields, at)) return REDACTED;
  if (Array.isArray(value)) return value.map((item, index) => redactValue(item, [...at, index], fields));
  if (typeof value === 'object' && value !== null) {
    return Object.fromEntries(
      Object.entries(value).map(([key, item]) => [key, redactValue(item, [...at, key], fields)]),
    );
  }
  return value;
}

const mask = (value: unknown) => (value === undefined ? undefined : REDACTED);

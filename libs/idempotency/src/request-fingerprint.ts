import { createHash } from 'node:crypto';

function canonical(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(canonical);
  if (value && typeof value === 'object') {
    return Object.fromEntries(
      Object.keys(value)
        .sort()
        .map((key) => [key, canonical((value as Record<string, unknown>)[key])]),
    );
  }
  return value;
}

/**
 * What makes two requests "the same" for an idempotency key: the operation, its target
 * and the body, whatever the order of the body's fields. A SHA-256 in hex.
 */
export function requestFingerprint(operation: string, target: string, body: unknown): string {
  return createHash('sha256')
    .update(JSON.stringify([operation, target, canonical(body)]))
    .digest('hex');
}

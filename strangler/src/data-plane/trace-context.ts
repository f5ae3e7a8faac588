import { randomFillSync, randomUUID } from 'node:crypto';

/** Visible ASCII only, so an id taken from a caller can never split a log line or a header. */
const ACCEPTABLE_REQUEST_ID = /^[\x21-\x7e]{1,128}$/;
const TRACEPARENT = /^([0-9a-f]{2})-([0-9a-f]{32})-([0-9a-f]{16})-([0-9a-f]{2})$/;
const ZERO_TRACE_ID = '0'.repeat(32);
const ZERO_PARENT_ID = '0'.repeat(16);

/** The caller's `X-Request-Id` when acceptable (1 to 128 visible ASCII characters), else a new UUID. */
export function requestIdFrom(given: string | string[] | undefined): string {
  return typeof given === 'string' && ACCEPTABLE_REQUEST_ID.test(given) ? given : randomUUID();
}

/** Whether a `traceparent` is a valid W3C trace context header: `<version>-<trace id>-<parent id>-<flags>`. */
export function isValidTraceparent(value: string | string[] | undefined): value is string {
  if (typeof value !== 'string') return false;
  const match = TRACEPARENT.exec(value);
  return match !== null && match[1] !== 'ff' && match[2] !== ZERO_TRACE_ID && match[3] !== ZERO_PARENT_ID;
}

// Random bytes are drawn in blocks: one `randomFillSync` serves many requests.
const POOL = Buffer.alloc(24 * 2048);
let offset = POOL.length;

/** A new W3C `traceparent`: `00-<32 hex trace id>-<16 hex parent id>-01` (sampled). */
export function newTraceparent(): string {
  if (offset + 24 > POOL.length) {
    randomFillSync(POOL);
    offset = 0;
  }
  const traceId = POOL.toString('hex', offset, offset + 16);
  const parentId = POOL.toString('hex', offset + 16, offset + 24);
  offset += 24;
  // All-zero ids are invalid; the odds are 2^-64, but the check is cheap.
  if (traceId === ZERO_TRACE_ID || parentId === ZERO_PARENT_ID) return newTraceparent();
  return `00-${traceId}-${parentId}-01`;
}

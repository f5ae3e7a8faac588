import { AsyncLocalStorage } from 'node:async_hooks';
import { randomBytes } from 'node:crypto';

/** What a message being handled passes on to the messages sent while handling it. */
export interface MessageContext {
  readonly messageId: string;
  readonly correlationId: string;
  readonly traceparent: string;
}

const storage = new AsyncLocalStorage<MessageContext>();

/** Runs `work` as the handling of a message: messages sent inside carry its correlation and trace. */
export function runInMessageContext<T>(context: MessageContext, work: () => T): T {
  return storage.run(context, work);
}

/** The message being handled here, if any. */
export function currentMessageContext(): MessageContext | undefined {
  return storage.getStore();
}

const TRACEPARENT = /^00-([0-9a-f]{32})-([0-9a-f]{16})-([0-9a-f]{2})$/;

/**
 * Random ids come from a pool refilled 4 KiB at a time: a randomBytes() call per id costs
 * more than the rest of the envelope.
 */
const POOL_BYTES = 4096;
let pool = Buffer.alloc(0);
let poolOffset = 0;

function randomHex(bytes: number): string {
  if (poolOffset + bytes > pool.length) {
    pool = randomBytes(POOL_BYTES);
    poolOffset = 0;
  }
  const hex = pool.toString('hex', poolOffset, poolOffset + bytes);
  poolOffset += bytes;
  return hex;
}

/**
 * A W3C `traceparent` for a new hop: the same trace as `parent` with a new span id, or a
 * new sampled trace when there is no valid parent.
 */
export function childTraceparent(parent?: string): string {
  const match = parent ? TRACEPARENT.exec(parent) : null;
  const traceId = match?.[1] ?? randomHex(16);
  const flags = match?.[3] ?? '01';
  return `00-${traceId}-${randomHex(8)}-${flags}`;
}

export function isTraceparent(value: unknown): value is string {
  return typeof value === 'string' && TRACEPARENT.test(value);
}

import type { Clock } from './clock';
import type { ConcurrencyGate } from './concurrency-gate';
import type { MessageKind } from './delivery-policy';
import type { ServerSettings } from './options';
import type { RedisConnection } from './redis-connection';
import type { StreamEntry } from './stream-entries';

/** A stream a server consumes, and what it carries. */
export interface ConsumedStream {
  readonly key: string;
  readonly kind: MessageKind;
}

/** What the reading loop, the claimer and the retries share with the server they work for. */
export interface ConsumerHost {
  readonly settings: ServerSettings;
  readonly group: string;
  readonly consumer: string;
  readonly gate: ConcurrencyGate;
  readonly streams: readonly ConsumedStream[];
  /** False once the server is closing: start nothing new. */
  readonly running: boolean;
  /** The connection for commands (not the blocking reader's). */
  commands(): RedisConnection;
  /** Handles an entry whose slot is already taken, and frees the slot when done. */
  process(entry: StreamEntry, deliveries: number): Promise<void>;
  /** Creates the group on every consumed stream where missing (after `NOGROUP`). */
  ensureGroups(): Promise<void>;
  reportError(error: Error): void;
}

export const isNoGroup = (error: unknown): boolean => error instanceof Error && error.message.startsWith('NOGROUP');

/** Resolves after `ms` on `clock`. */
export const waitOn = (clock: Clock, ms: number): Promise<void> =>
  new Promise((resolve) => clock.setTimer(ms, () => resolve()));

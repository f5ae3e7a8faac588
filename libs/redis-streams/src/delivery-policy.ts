import { retryDelay } from './retry-backoff';

export type MessageKind = 'request' | 'event';

/** Why a message was given up on or refused. */
export interface Reason {
  readonly code: string;
  readonly message: string;
}

/** The label of messages whose pattern this service does not handle. */
export const UNKNOWN_PATTERN = 'unknown';

/** Codes that say the message itself is wrong: retrying cannot help, so it is dead-lettered at once. */
export const NON_RETRYABLE_CODES: ReadonlySet<string> = new Set(['STREAMS_INVALID_MESSAGE', 'VALIDATION_FAILED']);

/** The settings the policy reads. */
export interface DeliverySettings {
  readonly service: string;
  readonly maxDeliveries: number;
  readonly retryBaseDelayMs: number;
  readonly retryMaxDelayMs: number;
}

/** What is known about one delivery of an entry when the transport decides what to do with it. */
export interface DeliveryFacts {
  /** The kind of the stream it was read from. */
  readonly kind: MessageKind;
  /** 1 on the first delivery, then one more on each retry or claim. */
  readonly deliveries: number;
  /**
   * The entry: `deleted` when it was deleted after it was delivered, `{ malformed }` when it is
   * no envelope, otherwise its pattern and (requests) deadline.
   */
  readonly message:
    'deleted' | { readonly malformed: string } | { readonly pattern: string; readonly deadline?: string };
  /** The kind of handler this service has for the pattern, or null if none. */
  readonly handler: MessageKind | null;
  /** Why the data fails the pattern's schema, if it does. */
  readonly invalid?: Reason;
  /**
   * How the handler ended, once it ran: `ok`, or its error (for a request, the error is its
   * answer). Absent before it runs.
   */
  readonly outcome?: 'ok' | { readonly code: string; readonly message: string | readonly string[] };
  readonly settings: DeliverySettings;
  /** Epoch milliseconds. */
  readonly now: number;
  /** A random number in [0, 1) for the retry's jitter. */
  readonly jitter: number;
}

/** What to do with a delivery; `label` is the pattern as metrics name it (`unknown` when not handled). */
export type DeliveryDecision =
  /** Acknowledge: done (handled, answered, or deleted meanwhile). */
  | { readonly action: 'ack'; readonly label: string }
  /** A request past its deadline: count it as expired and acknowledge it, without running or answering. */
  | { readonly action: 'expire'; readonly label: string }
  /** Run the handler, then decide again with its outcome. */
  | { readonly action: 'run'; readonly label: string }
  /** Answer the caller with `reason` and acknowledge. */
  | { readonly action: 'reply-and-ack'; readonly label: string; readonly reason: Reason }
  /** Move to the dead-letter stream (and acknowledge, atomically); `reply`: answer the caller with `reason` first. */
  | { readonly action: 'dead-letter'; readonly label: string; readonly reason: Reason; readonly reply: boolean }
  /** Leave pending and deliver again on this consumer after `delayMs`. */
  | { readonly action: 'retry'; readonly label: string; readonly reason: Reason; readonly delayMs: number };

/**
 * The transport's delivery policy: what to do with one delivery of an entry, from the entry,
 * the handlers, the settings and the time alone. Call it before running the handler (it says
 * `run`, or why not), then with the handler's `outcome`.
 */
export function decideDelivery(facts: DeliveryFacts): DeliveryDecision {
  const { message, kind } = facts;
  if (message === 'deleted') return { action: 'ack', label: UNKNOWN_PATTERN };
  if ('malformed' in message) {
    return {
      action: 'dead-letter',
      label: UNKNOWN_PATTERN,
      reason: { code: 'STREAMS_INVALID_MESSAGE', message: message.malformed },
      reply: false,
    };
  }
  const handled = facts.handler === kind;
  // Only patterns this service handles become metric labels, so senders cannot inflate them.
  const label = handled ? message.pattern : UNKNOWN_PATTERN;

  if (kind === 'request' && message.deadline !== undefined && Date.parse(message.deadline) <= facts.now) {
    return { action: 'expire', label };
  }
  if (!handled) {
    const reason = {
      code: 'STREAMS_NO_HANDLER',
      message: `${facts.settings.service} has no ${kind} handler for ${message.pattern}`,
    };
    return kind === 'request'
      ? { action: 'reply-and-ack', label, reason }
      : { action: 'dead-letter', label, reason, reply: false };
  }
  if (facts.invalid) return { action: 'dead-letter', label, reason: facts.invalid, reply: kind === 'request' };

  const { outcome } = facts;
  if (outcome === undefined) return { action: 'run', label };
  // A request's handler error is its answer (already written): acknowledged, not retried.
  if (outcome === 'ok' || kind === 'request') return { action: 'ack', label };

  const reason = {
    code: outcome.code,
    message: typeof outcome.message === 'string' ? outcome.message : outcome.message.join('; '),
  };
  if (NON_RETRYABLE_CODES.has(reason.code) || facts.deliveries >= facts.settings.maxDeliveries) {
    return { action: 'dead-letter', label, reason, reply: false };
  }
  const { retryBaseDelayMs, retryMaxDelayMs } = facts.settings;
  const delayMs = retryDelay(facts.deliveries, retryBaseDelayMs, retryMaxDelayMs, () => facts.jitter);
  return { action: 'retry', label, reason, delayMs };
}

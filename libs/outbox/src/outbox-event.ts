import { OutboxError } from './errors';

/** An event to store in the outbox, in the transaction of the change it describes. */
export interface NewOutboxEvent {
  /** The event id (a UUID); it becomes the envelope id consumers deduplicate by. */
  readonly id: string;
  /** Published to `<prefix>evt:<pattern>`. */
  readonly pattern: string;
  /** The kind of aggregate the event changes, e.g. `customer`. */
  readonly aggregateType: string;
  readonly aggregateId: string;
  /** The event body (JSON); a sequenced event gets `sequence` set in it. */
  readonly data: Readonly<Record<string, unknown>>;
}

export interface AddOptions {
  /**
   * Default true: the outbox numbers the event within its aggregate (per origin) and stores
   * data with `sequence` set. False for snapshots.
   */
  readonly sequenced?: boolean;
  /**
   * Called with the final data (sequence included) before the row is written; throw to
   * refuse (the caller's transaction then rolls back, and the number is given back).
   */
  readonly validate?: (data: Readonly<Record<string, unknown>>) => void;
}

/** What `Outbox.add()` stored. */
export interface AddedEvent {
  readonly id: string;
  /** The event's number within its aggregate, or null when not sequenced. */
  readonly sequence: number | null;
  readonly data: Record<string, unknown>;
}

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

const problem = (field: string, max: number, value: unknown): string | undefined =>
  typeof value === 'string' && value.length > 0 && value.length <= max
    ? undefined
    : `${field} must be a string of 1 to ${max} characters (got ${JSON.stringify(value)})`;

/** Throws `OUTBOX_EVENT_INVALID` naming what is wrong with the event. */
export function checkNewEvent(event: NewOutboxEvent): void {
  const problems = [
    typeof event.id === 'string' && UUID.test(event.id)
      ? undefined
      : `id must be a UUID (got ${JSON.stringify(event.id)})`,
    problem('pattern', 200, event.pattern),
    problem('aggregateType', 100, event.aggregateType),
    problem('aggregateId', 200, event.aggregateId),
    typeof event.data === 'object' && event.data !== null && !Array.isArray(event.data)
      ? undefined
      : 'data must be an object',
  ].filter((p): p is string => p !== undefined);
  if (problems.length > 0) {
    throw new OutboxError('OUTBOX_EVENT_INVALID', `Outbox.add(): ${problems.join('; ')}`);
  }
}

import { randomUUID } from 'node:crypto';
import { childTraceparent, currentMessageContext, isTraceparent } from './message-context';

/** Metadata of every message. Requests also carry `replyTo` and `deadline`. */
export interface EnvelopeMeta {
  readonly traceparent: string;
  readonly correlationId: string;
  /** The id of the message whose handling caused this one, if any. */
  readonly causationId: string | null;
  /** The service that sent the message. */
  readonly origin: string;
  /** ISO-8601 UTC, milliseconds. */
  readonly occurredAt: string;
  /** Requests: the reply stream of the calling client instance. */
  readonly replyTo?: string;
  /** Requests: ISO-8601 UTC time after which nobody waits for the reply. */
  readonly deadline?: string;
  /** Requests: metadata from the caller beside the data (`send(…, { headers })`), as HTTP request headers. */
  readonly headers?: Readonly<Record<string, string>>;
}

/** A message as stored in a stream entry: fields `id`, `pattern`, `data` (JSON), `meta` (JSON). */
export interface Envelope<T = unknown> {
  readonly id: string;
  readonly pattern: string;
  readonly data: T;
  readonly meta: EnvelopeMeta;
}

export type DecodeResult =
  { readonly ok: true; readonly envelope: Envelope } | { readonly ok: false; readonly reason: string };

/**
 * A new envelope. Inside the handling of another message, it continues that message's
 * correlation and trace and names it as its cause; otherwise it starts new ones. Its id is
 * a new UUID unless `extra.id` gives one (an outbox keeps the id of the event it stored).
 */
export function createEnvelope(
  pattern: string,
  data: unknown,
  origin: string,
  extra: {
    id?: string;
    replyTo?: string;
    deadline?: Date;
    now?: Date;
    headers?: Readonly<Record<string, string>>;
  } = {},
): Envelope {
  const id = extra.id ?? randomUUID();
  const context = currentMessageContext();
  return {
    id,
    pattern,
    data,
    meta: {
      traceparent: childTraceparent(context?.traceparent),
      correlationId: context?.correlationId ?? id,
      causationId: context?.messageId ?? null,
      origin,
      occurredAt: (extra.now ?? new Date()).toISOString(),
      ...(extra.replyTo ? { replyTo: extra.replyTo } : {}),
      ...(extra.deadline ? { deadline: extra.deadline.toISOString() } : {}),
      ...(extra.headers && Object.keys(extra.headers).length > 0 ? { headers: extra.headers } : {}),
    },
  };
}

/** The entry fields of an envelope, in the order XADD takes them. */
export function encodeEnvelope(envelope: Envelope): string[] {
  return [
    'id',
    envelope.id,
    'pattern',
    envelope.pattern,
    'data',
    JSON.stringify(envelope.data ?? null),
    'meta',
    JSON.stringify(envelope.meta),
  ];
}

/** Field/value pairs of a stream entry as a record. */
export function fieldsToRecord(fields: readonly string[]): Record<string, string> {
  const record: Record<string, string> = {};
  for (let i = 0; i + 1 < fields.length; i += 2) record[fields[i] as string] = fields[i + 1] as string;
  return record;
}

function parseJson(text: string | undefined): { ok: true; value: unknown } | { ok: false } {
  if (text === undefined) return { ok: false };
  try {
    return { ok: true, value: JSON.parse(text) };
  } catch {
    return { ok: false };
  }
}

/** Reads an entry back into an envelope, or says what is wrong with it. */
export function decodeEnvelope(record: Readonly<Record<string, string>>): DecodeResult {
  const { id, pattern } = record;
  if (!id) return { ok: false, reason: 'the entry has no id field' };
  if (!pattern) return { ok: false, reason: 'the entry has no pattern field' };
  const data = parseJson(record.data);
  if (!data.ok) return { ok: false, reason: 'the data field is missing or not JSON' };
  const meta = parseJson(record.meta);
  if (!meta.ok || typeof meta.value !== 'object' || meta.value === null) {
    return { ok: false, reason: 'the meta field is missing or not a JSON object' };
  }
  const m = meta.value as Record<string, unknown>;
  if (typeof m.correlationId !== 'string' || typeof m.origin !== 'string' || typeof m.occurredAt !== 'string') {
    return { ok: false, reason: 'meta lacks correlationId, origin or occurredAt' };
  }
  if (m.deadline !== undefined && Number.isNaN(Date.parse(String(m.deadline)))) {
    return { ok: false, reason: 'meta.deadline is not a date' };
  }
  if (m.headers !== undefined && !isStringRecord(m.headers)) {
    return { ok: false, reason: 'meta.headers is not an object of strings' };
  }
  return {
    ok: true,
    envelope: {
      id,
      pattern,
      data: data.value,
      meta: {
        traceparent: isTraceparent(m.traceparent) ? m.traceparent : childTraceparent(),
        correlationId: m.correlationId,
        causationId: typeof m.causationId === 'string' ? m.causationId : null,
        origin: m.origin,
        occurredAt: m.occurredAt,
        ...(typeof m.replyTo === 'string' ? { replyTo: m.replyTo } : {}),
        ...(typeof m.deadline === 'string' ? { deadline: m.deadline } : {}),
        ...(isStringRecord(m.headers) ? { headers: m.headers } : {}),
      },
    },
  };
}

/** Headers as envelopes and replies carry them: an object whose values are strings. */
export function isStringRecord(value: unknown): value is Readonly<Record<string, string>> {
  return (
    typeof value === 'object' &&
    value !== null &&
    !Array.isArray(value) &&
    Object.values(value).every((entry) => typeof entry === 'string')
  );
}

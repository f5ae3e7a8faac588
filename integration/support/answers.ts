/** One request of a scenario, as either side gets it. */
export interface ApiRequest {
  readonly method: 'GET' | 'HEAD' | 'POST';
  readonly path: string;
  /** Sent as `Authorization: Bearer <token>`. */
  readonly token?: string;
  /** Sent as JSON, unless `rawBody` is given. */
  readonly body?: unknown;
  /** Sent as it is, with `content-type: application/json` (malformed JSON). */
  readonly rawBody?: string;
  readonly headers?: Readonly<Record<string, string>>;
}

/** What a client sees of one answer. */
export interface ApiAnswer {
  readonly status: number;
  readonly headers: Readonly<Record<string, string>>;
  /** The parsed JSON body, the text of another body, or undefined when there is none. */
  readonly body: unknown;
}

/** Sends `request` to `baseUrl` and reads the whole answer. */
export async function send(baseUrl: string, request: ApiRequest): Promise<ApiAnswer> {
  const headers: Record<string, string> = { ...request.headers };
  if (request.token) headers.authorization = `Bearer ${request.token}`;
  let body: string | undefined;
  if (request.rawBody !== undefined || request.body !== undefined) {
    headers['content-type'] = 'application/json';
    body = request.rawBody ?? JSON.stringify(request.body);
  }
  const response = await fetch(`${baseUrl}${request.path}`, { method: request.method, headers, body });
  const text = await response.text();
  const type = response.headers.get('content-type') ?? '';
  return {
    status: response.status,
    headers: Object.fromEntries(response.headers),
    body: text === '' ? undefined : type.includes('json') ? (JSON.parse(text) as unknown) : text,
  };
}

/** The facade's own headers, and those of each connection or moment. */
const IGNORED_HEADERS = /^(x-strangler-.*|date|connection|keep-alive)$/;
const UUID = /[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}/g;
const JWT = /^[A-Za-z0-9_-]+\.[A-Za-z0-9_-]+\.[A-Za-z0-9_-]+$/;
const TIMESTAMP = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{3}Z$/;

/**
 * Makes the answers of two systems comparable: each distinct id becomes `<id N>` by the order in
 * which this side first showed it, a JWT becomes `<jwt>`, and the timestamps of one answer become
 * `<time K>` by their rank in it (so equal and ordered times stay so), after checking each is a
 * valid ISO-8601 UTC time with milliseconds. One instance per side, for the whole run.
 */
export class Normaliser {
  private readonly ids = new Map<string, string>();

  /** The `<id N>` of an id this side has shown (or is about to). */
  id(value: string): string {
    let name = this.ids.get(value);
    if (!name) this.ids.set(value, (name = `<id ${this.ids.size + 1}>`));
    return name;
  }

  answer(answer: ApiAnswer): ApiAnswer {
    const headers = Object.fromEntries(
      Object.entries(answer.headers)
        .filter(([name]) => !IGNORED_HEADERS.test(name))
        // Express's ETag hashes the body, whose ids differ: it must be there on both sides, or on neither.
        .map(([name, value]) => [name, name === 'etag' ? '<etag>' : value]),
    );
    const times = new Set<string>();
    collectTimes(answer.body, times);
    const ranks = new Map([...times].sort().map((time, rank) => [time, `<time ${rank + 1}>`]));
    return { status: answer.status, headers, body: this.value(answer.body, ranks) };
  }

  private value(value: unknown, ranks: ReadonlyMap<string, string>): unknown {
    if (typeof value === 'string') {
      if (ranks.has(value)) return ranks.get(value);
      if (JWT.test(value)) return '<jwt>';
      return value.replace(UUID, (id) => this.id(id));
    }
    if (Array.isArray(value)) return value.map((item) => this.value(item, ranks));
    if (value && typeof value === 'object') {
      return Object.fromEntries(Object.entries(value).map(([key, item]) => [key, this.value(item, ranks)]));
    }
    return value;
  }
}

function collectTimes(value: unknown, into: Set<string>): void {
  if (typeof value === 'string') {
    if (TIMESTAMP.test(value)) {
      if (new Date(value).toISOString() !== value) throw new Error(`Not a valid ISO-8601 time: ${value}`);
      into.add(value);
    }
  } else if (Array.isArray(value)) for (const item of value) collectTimes(item, into);
  else if (value && typeof value === 'object') for (const item of Object.values(value)) collectTimes(item, into);
}

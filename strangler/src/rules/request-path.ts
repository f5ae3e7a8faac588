/** A request target split for routing: the raw path to forward, decoded segments to match. */
export interface RequestPath {
  /** The path as received (origin form), forwarded unchanged. */
  readonly path: string;
  /** The query string without `?`, or '' when there is none. */
  readonly query: string;
  /** Non-empty path segments, percent-decoded, for matching. */
  readonly segments: readonly string[];
}

export type RequestPathResult =
  { readonly ok: true; readonly value: RequestPath } | { readonly ok: false; readonly reason: string };

/**
 * Reads a request target for routing. An absolute-form target (`GET http://host/x`) is
 * reduced to its path: the host a request names never chooses the upstream.
 *
 * SECURITY: a path that could mean another path once an upstream normalises it is
 * refused: dot segments (also percent-encoded), encoded slashes or backslashes, a
 * backslash, NUL, or an invalid percent-encoding. Otherwise a request could match one
 * route and reach another route's handler.
 */
export function parseRequestPath(target: string): RequestPathResult {
  let pathAndQuery = target;
  if (!target.startsWith('/')) {
    if (!/^https?:\/\//i.test(target)) return { ok: false, reason: 'the request target is not a path' };
    try {
      const url = new URL(target);
      pathAndQuery = `${url.pathname}${url.search}`;
    } catch {
      return { ok: false, reason: 'the request target is not a valid URL' };
    }
  }
  const mark = pathAndQuery.indexOf('?');
  const path = mark === -1 ? pathAndQuery : pathAndQuery.slice(0, mark);
  const query = mark === -1 ? '' : pathAndQuery.slice(mark + 1);
  if (/[\\\0]|%(2f|5c|00)/i.test(path))
    return { ok: false, reason: 'the path contains a backslash, NUL or an encoded slash' };
  const segments: string[] = [];
  for (const raw of path.split('/')) {
    if (raw === '') continue;
    let segment: string;
    try {
      segment = raw.includes('%') ? decodeURIComponent(raw) : raw;
    } catch {
      return { ok: false, reason: 'the path has an invalid percent-encoding' };
    }
    if (segment === '.' || segment === '..') return { ok: false, reason: 'the path contains a . or .. segment' };
    segments.push(segment);
  }
  return { ok: true, value: { path, query, segments } };
}

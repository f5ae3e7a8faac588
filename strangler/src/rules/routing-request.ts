import type { RoutingRequest } from './compiled-rule-set';
import { type RequestPathResult, parseRequestPath } from './request-path';

type Headers = Readonly<Record<string, string | readonly string[] | undefined>>;

function parseCookies(header: string | undefined): Map<string, string> {
  const cookies = new Map<string, string>();
  if (!header) return cookies;
  for (const pair of header.split(';')) {
    const eq = pair.indexOf('=');
    if (eq <= 0) continue;
    const name = pair.slice(0, eq).trim();
    if (!cookies.has(name)) cookies.set(name, pair.slice(eq + 1).trim());
  }
  return cookies;
}

/**
 * A request as the rules see it, from its method, target (path and query) and headers
 * (lower-case names, as Node gives them). Query and cookies are parsed only if a rule asks.
 */
export function toRoutingRequest(
  method: string,
  target: string,
  headers: Headers,
  clientIp: string | undefined,
): { ok: true; request: RoutingRequest; path: string; query: string } | Extract<RequestPathResult, { ok: false }> {
  const parsed = parseRequestPath(target);
  if (!parsed.ok) return parsed;
  const { path, query, segments } = parsed.value;
  let params: URLSearchParams | undefined;
  let cookies: Map<string, string> | undefined;
  const header = (name: string) => {
    const value = headers[name];
    return typeof value === 'string' ? value : value?.[0];
  };
  const request: RoutingRequest = {
    method: method.toUpperCase(),
    segments,
    trailingSlash: path.length > 1 && path.endsWith('/'),
    clientIp,
    header,
    queryParam: (name) => (params ??= new URLSearchParams(query)).get(name) ?? undefined,
    cookie: (name) => (cookies ??= parseCookies(header('cookie'))).get(name),
  };
  return { ok: true, request, path, query };
}

import type { RouteMode, RouteRule, RuleSetDocument } from '../rules';
import { GroupNotFoundError, RouteNotFoundError } from './rule-store.errors';

/**
 * A change to one route, or to every route of a group. A field left out stays as it is;
 * `null` removes an optional field (back to its default).
 */
export interface RouteChangeFields {
  readonly mode?: RouteMode;
  readonly target?: string;
  readonly percent?: number | null;
  readonly stickyBy?: string | null;
  readonly timeoutMs?: number | null;
  readonly fallback?: boolean | null;
}

export const ROUTE_CHANGE_FIELDS = ['mode', 'target', 'percent', 'stickyBy', 'timeoutMs', 'fallback'] as const;

function applyFields(route: RouteRule, change: RouteChangeFields): RouteRule {
  const next: Record<string, unknown> = { ...route };
  for (const field of ROUTE_CHANGE_FIELDS) {
    const value = change[field];
    if (value === undefined) continue;
    if (value === null) delete next[field];
    else next[field] = value;
  }
  return next as RouteRule;
}

/** The document with one route changed (not checked: the store checks the result). */
export function changeRoute(document: RuleSetDocument, routeId: string, change: RouteChangeFields): RuleSetDocument {
  const index = document.routes.findIndex((route) => route.id === routeId);
  if (index === -1) throw new RouteNotFoundError(routeId);
  return {
    ...document,
    routes: document.routes.map((route, at) => (at === index ? applyFields(route, change) : route)),
  };
}

/** The document with every route of a group changed alike, so the group moves as one. */
export function changeGroup(document: RuleSetDocument, group: string, change: RouteChangeFields): RuleSetDocument {
  if (!document.routes.some((route) => route.group === group)) throw new GroupNotFoundError(group);
  return {
    ...document,
    routes: document.routes.map((route) => (route.group === group ? applyFields(route, change) : route)),
  };
}

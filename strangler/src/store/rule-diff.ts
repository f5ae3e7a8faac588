import { DEFAULT_CASE_SENSITIVE, DEFAULT_STRICT_TRAILING_SLASH, type RouteRule, type RuleSetDocument } from '../rules';
import { canonicalJson, sameValue } from './canonical-json';

/** One field that changed; `null` stands for "not set". */
export interface FieldChange {
  readonly field: string;
  readonly from: unknown;
  readonly to: unknown;
}

export interface RuleChange {
  readonly kind: 'legacy' | 'upstream' | 'group' | 'route' | 'pathMatching';
  /** The route id, group or upstream name (`legacy` for the legacy pointer, `pathMatching` for how paths match). */
  readonly name: string;
  readonly change: 'added' | 'removed' | 'changed' | 'moved';
  readonly fields: readonly FieldChange[];
}

/** What changed from one version to the next: a line for people and the detail for programs. */
export interface ChangeSummary {
  readonly text: string;
  readonly changes: readonly RuleChange[];
}

/** The fields that every route of a group shares (the rules check enforces it). */
export const GROUP_FIELDS = ['mode', 'target', 'percent', 'stickyBy'] as const;
const ROUTE_FIELDS = [
  ...GROUP_FIELDS,
  'timeoutMs',
  'retries',
  'fallback',
  'group',
  'match',
  'guard',
  'consistency',
] as const satisfies readonly (keyof RouteRule)[];
const MAX_TEXT_PARTS = 8;

const orNull = (value: unknown) => (value === undefined ? null : value);

function fieldChanges<T extends object>(before: T, after: T, fields: readonly (keyof T & string)[]): FieldChange[] {
  return fields
    .filter((field) => !sameValue(orNull(before[field]), orNull(after[field])))
    .map((field) => ({ field, from: orNull(before[field]), to: orNull(after[field]) }));
}

function groupLeads(routes: readonly RouteRule[]): Map<string, RouteRule> {
  const leads = new Map<string, RouteRule>();
  for (const route of routes) if (route.group && !leads.has(route.group)) leads.set(route.group, route);
  return leads;
}

/** The ids of `after` (among those also in `before`) that left their relative order: all but a longest kept run. */
function movedIds(before: readonly RouteRule[], after: readonly RouteRule[]): string[] {
  const position = new Map(before.map((route, index) => [route.id, index]));
  const common = after.filter((route) => position.has(route.id)).map((route) => route.id);
  // Longest increasing subsequence of the old positions, in O(n log n).
  const tails: number[] = [];
  const tailIndex: number[] = [];
  const previous: number[] = new Array<number>(common.length).fill(-1);
  common.forEach((id, index) => {
    const value = position.get(id) as number;
    let low = 0;
    let high = tails.length;
    while (low < high) {
      const middle = (low + high) >> 1;
      if ((tails[middle] as number) < value) low = middle + 1;
      else high = middle;
    }
    tails[low] = value;
    tailIndex[low] = index;
    previous[index] = low > 0 ? (tailIndex[low - 1] as number) : -1;
  });
  const kept = new Set<number>();
  for (let index = tailIndex[tails.length - 1] ?? -1; index !== -1; index = previous[index] as number) kept.add(index);
  return common.filter((_, index) => !kept.has(index));
}

const show = (value: unknown): string =>
  value === null || value === undefined ? 'none' : typeof value === 'string' ? value : canonicalJson(value);

const describeRoute = (route: Pick<RouteRule, 'mode' | 'percent' | 'target'>) =>
  `${route.mode}${route.mode === 'canary' ? ` ${route.percent ?? 0} %` : ''} on ${route.target}`;

/** One change, for people: `route a: mode legacy → live`. */
export function describeChange(change: RuleChange): string {
  const subject =
    change.kind === 'legacy' || change.kind === 'pathMatching' ? change.kind : `${change.kind} ${change.name}`;
  if (change.change === 'moved') return `${subject} moved`;
  if (change.change === 'removed') return `${subject} removed`;
  if (change.change === 'added') {
    const detail = Object.fromEntries(change.fields.map(({ field, to }) => [field, to]));
    return change.kind === 'upstream' || change.kind === 'legacy'
      ? `${subject} added`
      : `${subject} added (${describeRoute(detail as Pick<RouteRule, 'mode' | 'percent' | 'target'>)})`;
  }
  const fields = change.fields.map(
    ({ field, from, to }) => `${change.kind === 'legacy' ? '' : `${field} `}${show(from)} → ${show(to)}`,
  );
  return `${subject}: ${fields.join(', ')}`;
}

/** A line for people: the first few changes, and how many more. */
export function summaryText(changes: readonly RuleChange[]): string {
  if (changes.length === 0) return 'no changes';
  const parts = changes.slice(0, MAX_TEXT_PARTS).map(describeChange);
  if (changes.length > MAX_TEXT_PARTS) parts.push(`and ${changes.length - MAX_TEXT_PARTS} more`);
  return parts.join('; ');
}

/** A version made from nothing (the first, or a restore): a count, not a list. */
export function initialSummary(document: RuleSetDocument, what = 'initial rules'): ChangeSummary {
  const groups = groupLeads(document.routes).size;
  const upstreams = Object.keys(document.upstreams).length;
  return {
    text:
      `${what}: ${document.routes.length} route(s)${groups > 0 ? ` in ${groups} group(s) and alone` : ''}, ` +
      `${upstreams} upstream(s), legacy ${document.legacy}`,
    changes: [],
  };
}

/**
 * What changed from `before` to `after`: the legacy upstream, how paths match, upstreams, groups (their
 * shared mode, target, percent and sticky key, reported once per group), routes (each
 * other field, additions, removals, and moves in the table order).
 */
export function diffRuleSets(before: RuleSetDocument, after: RuleSetDocument): ChangeSummary {
  const changes: RuleChange[] = [];
  if (before.legacy !== after.legacy) {
    changes.push({
      kind: 'legacy',
      name: 'legacy',
      change: 'changed',
      fields: [{ field: 'legacy', from: before.legacy, to: after.legacy }],
    });
  }

  // How paths match, defaults applied: leaving an option out is no change when it was the default.
  const matching = (document: RuleSetDocument) => ({
    caseSensitive: document.pathMatching?.caseSensitive ?? DEFAULT_CASE_SENSITIVE,
    strictTrailingSlash: document.pathMatching?.strictTrailingSlash ?? DEFAULT_STRICT_TRAILING_SLASH,
  });
  const matchingFields = fieldChanges(matching(before), matching(after), ['caseSensitive', 'strictTrailingSlash']);
  if (matchingFields.length > 0)
    changes.push({ kind: 'pathMatching', name: 'pathMatching', change: 'changed', fields: matchingFields });

  const names = [...new Set([...Object.keys(before.upstreams), ...Object.keys(after.upstreams)])].sort();
  for (const name of names) {
    const was = before.upstreams[name];
    const is = after.upstreams[name];
    if (!was) changes.push({ kind: 'upstream', name, change: 'added', fields: [] });
    else if (!is) changes.push({ kind: 'upstream', name, change: 'removed', fields: [] });
    else {
      const fields = fieldChanges(was, is, ['url', 'urls', 'circuitBreaker']);
      if (fields.length > 0) changes.push({ kind: 'upstream', name, change: 'changed', fields });
    }
  }

  const leadsBefore = groupLeads(before.routes);
  const leadsAfter = groupLeads(after.routes);
  for (const name of [...new Set([...leadsBefore.keys(), ...leadsAfter.keys()])]) {
    const was = leadsBefore.get(name);
    const is = leadsAfter.get(name);
    if (!was && is) {
      const fields = GROUP_FIELDS.map((field) => ({ field, from: null, to: orNull(is[field]) }));
      changes.push({ kind: 'group', name, change: 'added', fields });
    } else if (was && !is) changes.push({ kind: 'group', name, change: 'removed', fields: [] });
    else if (was && is) {
      const fields = fieldChanges(was, is, [...GROUP_FIELDS]);
      if (fields.length > 0) changes.push({ kind: 'group', name, change: 'changed', fields });
    }
  }

  const routesBefore = new Map(before.routes.map((route) => [route.id, route]));
  const idsAfter = new Set(after.routes.map((route) => route.id));
  for (const route of after.routes) {
    const was = routesBefore.get(route.id);
    if (!was) {
      const fields = (['mode', 'percent', 'target'] as const).map((field) => ({
        field,
        from: null,
        to: orNull(route[field]),
      }));
      changes.push({ kind: 'route', name: route.id, change: 'added', fields });
      continue;
    }
    // A route that stays in a group that exists on both sides moves with it: the group line says so.
    const inGroup = Boolean(route.group && route.group === was.group && leadsBefore.has(route.group));
    const fields = fieldChanges(
      was,
      route,
      ROUTE_FIELDS.filter((field) => !inGroup || !(GROUP_FIELDS as readonly string[]).includes(field)),
    );
    if (fields.length > 0) changes.push({ kind: 'route', name: route.id, change: 'changed', fields });
  }
  for (const route of before.routes) {
    if (!idsAfter.has(route.id)) changes.push({ kind: 'route', name: route.id, change: 'removed', fields: [] });
  }
  for (const id of movedIds(before.routes, after.routes)) {
    changes.push({ kind: 'route', name: id, change: 'moved', fields: [] });
  }
  return { text: summaryText(changes), changes };
}

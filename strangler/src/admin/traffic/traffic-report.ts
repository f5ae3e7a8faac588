import { z } from 'zod';
import { type CompiledRuleSet, ROUTE_MODES } from '../../rules';
import type { TrafficSplitCounts } from '../data-plane-stats';

/** How the data plane names requests no route matched. */
export const NO_ROUTE = '-';

export const RouteTrafficRowSchema = z
  .object({
    routeId: z.string().nullable().meta({ description: 'null: requests no route matched (legacy answers them).' }),
    group: z.string().nullable(),
    mode: z
      .enum(ROUTE_MODES)
      .nullable()
      .meta({ description: 'In the current rules; null for unmatched requests or a route since removed.' }),
    target: z.string().nullable().meta({ description: 'In the current rules.' }),
    percent: z.number().nullable().meta({ description: 'The configured canary percent.' }),
    total: z.int(),
    legacyRequests: z.int().meta({ description: 'Answered by the legacy upstream.' }),
    targetRequests: z.int().meta({
      description:
        'Answered by any other upstream: the target the route had when it served them, whatever the rules say now.',
    }),
    targetShare: z
      .number()
      .nullable()
      .meta({ description: 'Observed share answered off legacy (0..1), null without requests.' }),
    upstreams: z.record(z.string(), z.int()).meta({ description: 'Requests by the upstream that answered.' }),
  })
  .meta({ id: 'RouteTraffic' });

export const TrafficReportSchema = z
  .object({
    version: z.int().meta({ description: 'The rules version the routes are described with.' }),
    minutes: z.int(),
    since: z.iso.datetime(),
    routes: z.array(RouteTrafficRowSchema),
  })
  .meta({ id: 'TrafficReport' });

export type RouteTrafficRow = z.output<typeof RouteTrafficRowSchema>;
export type TrafficReport = z.output<typeof TrafficReportSchema>;

/**
 * Every route of the rules in table order with its split between legacy and its target
 * (zero when it had no traffic), then routes no longer in the rules, then unmatched requests.
 * The split is what each side served over the window: the rules may have changed since
 * (a rollback, a route moved back or removed), so a request counts on the target side when an
 * upstream other than legacy answered it, not when it matches the current target.
 */
export function trafficReport(rules: CompiledRuleSet, split: TrafficSplitCounts): TrafficReport {
  const counted = new Map(split.routes.map((row) => [row.route, row]));
  const legacy = rules.document.legacy;
  const row = (routeId: string | null): RouteTrafficRow => {
    const route = routeId === null ? undefined : rules.document.routes.find((r) => r.id === routeId);
    const counts = counted.get(routeId ?? NO_ROUTE);
    const upstreams = counts?.upstreams ?? {};
    const total = counts?.total ?? 0;
    const legacyRequests = upstreams[legacy] ?? 0;
    const targetRequests = total - legacyRequests;
    return {
      routeId,
      group: route?.group ?? null,
      mode: route?.mode ?? null,
      target: route?.target ?? null,
      percent: route?.percent ?? null,
      total,
      legacyRequests,
      targetRequests,
      targetShare: total === 0 ? null : targetRequests / total,
      upstreams: { ...upstreams },
    };
  };
  const known = new Set(rules.document.routes.map((route) => route.id));
  const gone = split.routes.map((r) => r.route).filter((id) => id !== NO_ROUTE && !known.has(id));
  const unmatched = counted.has(NO_ROUTE) ? [null] : [];
  return {
    version: rules.version,
    minutes: split.minutes,
    since: split.since,
    routes: [...rules.document.routes.map((route) => route.id), ...gone, ...unmatched].map(row),
  };
}

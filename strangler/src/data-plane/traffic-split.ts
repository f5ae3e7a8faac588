/** How many requests of one route each upstream answered. */
export interface RouteTraffic {
  /** The route id, or `-` for requests no route matched. */
  readonly route: string;
  readonly total: number;
  /** Requests by the upstream that answered them (or, for the facade's own errors, was called last). */
  readonly upstreams: Readonly<Record<string, number>>;
}

export interface TrafficSplit {
  /** The span counted, in whole minutes up to now (the current minute included). */
  readonly minutes: number;
  /** Start of the span (ISO-8601). */
  readonly since: string;
  readonly routes: readonly RouteTraffic[];
}

const MINUTE_MS = 60_000;

/** Requests by route and upstream, in one-minute buckets, for the last `maxMinutes` minutes. */
export class TrafficSplitRecorder {
  private readonly slots: { minute: number; counts: Map<string, Map<string, number>> }[];

  constructor(readonly maxMinutes: number) {
    this.slots = Array.from({ length: maxMinutes }, () => ({ minute: -1, counts: new Map() }));
  }

  record(route: string, upstream: string, now: number): void {
    const minute = Math.floor(now / MINUTE_MS);
    const slot = this.slots[minute % this.maxMinutes] as (typeof this.slots)[number];
    if (slot.minute !== minute) {
      slot.minute = minute;
      slot.counts = new Map();
    }
    let byUpstream = slot.counts.get(route);
    if (!byUpstream) slot.counts.set(route, (byUpstream = new Map()));
    byUpstream.set(upstream, (byUpstream.get(upstream) ?? 0) + 1);
  }

  /** The split over the last `minutes` minutes (1 to `maxMinutes`), routes in id order. */
  split(minutes: number, now: number): TrafficSplit {
    const span = Math.min(Math.max(Math.floor(minutes), 1), this.maxMinutes);
    const current = Math.floor(now / MINUTE_MS);
    const first = current - span + 1;
    const totals = new Map<string, Map<string, number>>();
    for (const slot of this.slots) {
      if (slot.minute < first || slot.minute > current) continue;
      for (const [route, byUpstream] of slot.counts) {
        let sum = totals.get(route);
        if (!sum) totals.set(route, (sum = new Map()));
        for (const [upstream, count] of byUpstream) sum.set(upstream, (sum.get(upstream) ?? 0) + count);
      }
    }
    const routes = [...totals]
      .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))
      .map(([route, byUpstream]) => {
        let total = 0;
        for (const count of byUpstream.values()) total += count;
        return { route, total, upstreams: Object.fromEntries([...byUpstream].sort(([a], [b]) => (a < b ? -1 : 1))) };
      });
    return { minutes: span, since: new Date(first * MINUTE_MS).toISOString(), routes };
  }
}

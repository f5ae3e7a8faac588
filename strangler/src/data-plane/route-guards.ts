import type { CompiledRuleSet } from '../rules';
import { GuardWindow } from './guard-window';

/** A route its guard has moved back to legacy. */
export interface TrippedRoute {
  readonly route: string;
  readonly target: string;
  /** Which limit was crossed. */
  readonly reason: string;
  /** Since when (ISO-8601). */
  readonly since: string;
}

interface Guarded {
  readonly window: GuardWindow;
  readonly target: string;
  readonly key: string;
  tripped?: { reason: string; since: number };
}

/**
 * The guards of the routes that have one: each watches the answers of its route's target;
 * while a limit is crossed, the route is served by legacy (as in legacy mode), until the
 * window holds answers within the limits again (or too few: the old ones age out).
 */
export class RouteGuards {
  private readonly guards = new Map<string, Guarded>();

  /** `onChange` hears a route trip (`reason` given) or recover (`reason` undefined). */
  constructor(private readonly onChange: (route: string, target: string, reason?: string) => void) {}

  sync(rules: CompiledRuleSet, now: number): void {
    const seen = new Set<string>();
    for (const route of rules.document.routes) {
      if (!route.guard) continue;
      seen.add(route.id);
      // A new target or new limits start a new window.
      const key = `${route.target}\n${JSON.stringify(route.guard)}`;
      const existing = this.guards.get(route.id);
      if (existing?.key === key) continue;
      if (existing?.tripped) this.onChange(route.id, existing.target);
      this.guards.set(route.id, { window: new GuardWindow(route.guard, now), target: route.target, key });
    }
    for (const [id, guarded] of this.guards) {
      if (seen.has(id)) continue;
      this.guards.delete(id);
      if (guarded.tripped) this.onChange(id, guarded.target);
    }
  }

  /** Whether the route is tripped now (its window is re-read as time passes). */
  isTripped(route: string, now: number): boolean {
    const guarded = this.guards.get(route);
    if (!guarded?.tripped) return false;
    if (guarded.window.breach(now) === undefined) {
      guarded.tripped = undefined;
      this.onChange(route, guarded.target);
      return false;
    }
    return true;
  }

  /** One answer (or failure) of the route's target, with its time to response headers. */
  record(route: string, target: string, latencyMs: number, failed: boolean, now: number): void {
    const guarded = this.guards.get(route);
    if (!guarded || guarded.target !== target) return;
    guarded.window.record(latencyMs, failed, now);
    if (guarded.tripped) return;
    const reason = guarded.window.breach(now);
    if (reason !== undefined) {
      guarded.tripped = { reason, since: now };
      this.onChange(route, target, reason);
    }
  }

  tripped(now: number): TrippedRoute[] {
    const out: TrippedRoute[] = [];
    for (const [route, guarded] of this.guards) {
      if (!this.isTripped(route, now) || !guarded.tripped) continue;
      out.push({
        route,
        target: guarded.target,
        reason: guarded.tripped.reason,
        since: new Date(guarded.tripped.since).toISOString(),
      });
    }
    return out;
  }
}

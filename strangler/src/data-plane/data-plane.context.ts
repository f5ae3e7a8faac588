import type { CompiledRuleSet } from '../rules';
import { CircuitBreakers } from './circuit-breakers';
import type { ResolvedDataPlaneOptions } from './data-plane.options';
import { DataPlaneMetrics } from './data-plane.metrics';
import { RouteGuards } from './route-guards';
import { TrafficSplitRecorder } from './traffic-split';
import { UpstreamPools } from './upstream-pools';

const LOG_CONTEXT = 'StranglerDataPlane';

/** What every request of one data plane shares: pools, breakers, guards, counters. */
export class DataPlaneContext {
  readonly metrics: DataPlaneMetrics;
  readonly pools: UpstreamPools;
  readonly breakers: CircuitBreakers;
  readonly guards: RouteGuards;
  readonly traffic: TrafficSplitRecorder;
  /** Requests under way (for a graceful close). */
  inFlight = 0;
  /** Set once `close()` starts: answers then carry `Connection: close`, so clients do not reuse the connection. */
  closing = false;
  private synced: CompiledRuleSet | undefined;
  private idleWaiters: (() => void)[] = [];

  constructor(readonly options: ResolvedDataPlaneOptions) {
    this.metrics = new DataPlaneMetrics(options.metrics);
    this.pools = new UpstreamPools({
      connectionsPerUrl: options.connectionsPerUrl,
      connectTimeoutMs: options.connectTimeoutMs,
      keepAliveTimeoutMs: options.upstreamKeepAliveMs,
      cooldownMs: options.urlCooldownMs,
      onDown: (url, error) =>
        this.warn(`upstream ${url} failed to connect (${describe(error)}); skipped for ${options.urlCooldownMs} ms`),
    });
    this.breakers = new CircuitBreakers((upstream, state, reason) => {
      this.metrics.setCircuit(upstream, state);
      if (reason !== undefined) this.warn(`circuit of upstream ${upstream} is ${state ?? 'gone'}: ${reason}`);
    });
    this.guards = new RouteGuards((route, target, reason) => {
      this.metrics.guardTripped.set({ route }, reason === undefined ? 0 : 1);
      if (reason !== undefined) this.warn(`route ${route} moved back to legacy: its target ${target}'s ${reason}`);
      else this.log(`route ${route} is back on its rules (guard recovered)`);
    });
    this.traffic = new TrafficSplitRecorder(options.trafficWindowMinutes);
    this.currentRules();
  }

  /** The rule set for a new request; the first request on a new version brings breakers, guards and pools up to date. */
  currentRules(): CompiledRuleSet {
    const rules = this.options.rules.current;
    if (rules !== this.synced) this.sync(rules);
    return rules;
  }

  requestStarted(): void {
    this.inFlight++;
  }

  requestEnded(): void {
    if (--this.inFlight === 0 && this.idleWaiters.length > 0) {
      const waiters = this.idleWaiters;
      this.idleWaiters = [];
      for (const resolve of waiters) resolve();
    }
  }

  /** Resolves once nothing is under way. */
  whenIdle(): Promise<void> {
    return this.inFlight === 0 ? Promise.resolve() : new Promise((resolve) => this.idleWaiters.push(resolve));
  }

  log(message: string): void {
    this.options.logger?.log(message, LOG_CONTEXT);
  }

  warn(message: string): void {
    this.options.logger?.warn(message, LOG_CONTEXT);
  }

  error(message: string, error: unknown): void {
    this.options.logger?.error(message, error instanceof Error ? error.stack : String(error), LOG_CONTEXT);
  }

  debug(message: string): void {
    this.options.logger?.debug?.(message, LOG_CONTEXT);
  }

  private sync(rules: CompiledRuleSet): void {
    const previous = this.synced;
    this.synced = rules;
    const now = Date.now();
    this.breakers.sync(rules, now);
    this.guards.sync(rules, now);
    const urls = new Set<string>();
    for (const list of rules.upstreamUrls.values()) for (const url of list) urls.add(url);
    this.pools.retain(urls, new Set(rules.upstreamUrls.keys()));
    if (previous) this.log(`routing with rules version ${rules.version} (was ${previous.version})`);
  }
}

export function describe(error: unknown): string {
  if (!(error instanceof Error)) return String(error);
  const code = (error as { code?: unknown }).code;
  return typeof code === 'string' ? `${code}: ${error.message}` : error.message;
}

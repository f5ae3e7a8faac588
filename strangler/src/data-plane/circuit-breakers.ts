import type { CircuitBreakerSettings, CompiledRuleSet } from '../rules';
import { CircuitBreaker, type CircuitState } from './circuit-breaker';

/** An upstream's breaker as the admin API shows it. */
export interface CircuitStatus {
  readonly upstream: string;
  readonly state: CircuitState;
  /** When it entered that state (ISO-8601). */
  readonly since: string;
}

/**
 * The breakers of the upstreams whose rules give `circuitBreaker` settings (an upstream
 * without them has none). Kept by upstream name across rule changes, so a new version of
 * the rules does not close an open breaker; settings follow the newest rules.
 */
export class CircuitBreakers {
  private readonly breakers = new Map<string, { breaker: CircuitBreaker; settings: string }>();

  /**
   * `onChange` hears every change of state: `state` undefined when a breaker is removed,
   * `reason` undefined when one is created (closed).
   */
  constructor(
    private readonly onChange: (upstream: string, state: CircuitState | undefined, reason?: string) => void,
  ) {}

  get(upstream: string): CircuitBreaker | undefined {
    return this.breakers.get(upstream)?.breaker;
  }

  sync(rules: CompiledRuleSet, now: number): void {
    const wanted = new Map<string, CircuitBreakerSettings>();
    for (const [name, upstream] of Object.entries(rules.document.upstreams)) {
      if (upstream.circuitBreaker) wanted.set(name, upstream.circuitBreaker);
    }
    for (const [name, entry] of this.breakers) {
      if (!wanted.has(name)) {
        this.breakers.delete(name);
        this.onChange(
          name,
          undefined,
          entry.breaker.state === 'closed' ? undefined : 'removed: the rules no longer give it a breaker',
        );
      }
    }
    for (const [name, settings] of wanted) {
      const key = JSON.stringify(settings);
      const entry = this.breakers.get(name);
      if (!entry) {
        const breaker = new CircuitBreaker(settings, now, (state, reason) => this.onChange(name, state, reason));
        this.breakers.set(name, { breaker, settings: key });
        this.onChange(name, 'closed');
      } else if (entry.settings !== key) {
        entry.breaker.configure(settings);
        entry.settings = key;
      }
    }
  }

  statuses(): CircuitStatus[] {
    return [...this.breakers].map(([upstream, { breaker }]) => ({
      upstream,
      state: breaker.state,
      since: new Date(breaker.changedAt).toISOString(),
    }));
  }
}

import { Counter, Gauge, Histogram, type Registry } from 'prom-client';
import type { CircuitState } from './circuit-breaker';

/** Why a call to an upstream produced no usable answer. */
export type UpstreamErrorKind = 'connect' | 'timeout' | 'reset' | 'circuit_open';

const CIRCUIT_VALUES: Record<CircuitState, number> = { closed: 0, open: 1, 'half-open': 2 };

/** Reuses a metric a previous data plane registered in the same registry (tests build several). */
function metric<T>(registry: Registry, name: string, create: () => T): T {
  return (registry.getSingleMetric(name) as T | undefined) ?? create();
}

/** A counter of the data plane's parts (pins, positions), reused when the registry has it already. */
export function sharedCounter<L extends string>(
  registry: Registry,
  name: string,
  help: string,
  labelNames: readonly L[],
): Counter<L> {
  return metric(registry, name, () => new Counter({ name, help, labelNames, registers: [registry] }));
}

/** The data plane's Prometheus metrics, registered in the registry it is given. */
export class DataPlaneMetrics {
  readonly requests: Counter<'route' | 'upstream' | 'status_class'>;
  readonly duration: Histogram<'route' | 'upstream'>;
  readonly upstreamErrors: Counter<'upstream' | 'kind'>;
  readonly retries: Counter<'route' | 'upstream'>;
  readonly fallbacks: Counter<'route' | 'from' | 'reason'>;
  readonly circuitState: Gauge<'upstream'>;
  readonly guardTripped: Gauge<'route'>;

  constructor(registry: Registry) {
    const registers = [registry];
    this.requests = metric(
      registry,
      'strangler_requests_total',
      () =>
        new Counter({
          name: 'strangler_requests_total',
          help: 'Requests answered by the data plane, by route (- when none matched), upstream and status class (aborted when the client left first).',
          labelNames: ['route', 'upstream', 'status_class'],
          registers,
        }),
    );
    this.duration = metric(
      registry,
      'strangler_request_duration_seconds',
      () =>
        new Histogram({
          name: 'strangler_request_duration_seconds',
          help: 'Time from request start to the end of the response, by route and upstream.',
          labelNames: ['route', 'upstream'],
          buckets: [0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30],
          registers,
        }),
    );
    this.upstreamErrors = metric(
      registry,
      'strangler_upstream_errors_total',
      () =>
        new Counter({
          name: 'strangler_upstream_errors_total',
          help: 'Upstream calls without a usable answer, by upstream and kind (connect, timeout, reset, circuit_open).',
          labelNames: ['upstream', 'kind'],
          registers,
        }),
    );
    this.retries = metric(
      registry,
      'strangler_retries_total',
      () =>
        new Counter({
          name: 'strangler_retries_total',
          help: 'Idempotent requests sent again to the same upstream after a failure, by route and upstream.',
          labelNames: ['route', 'upstream'],
          registers,
        }),
    );
    this.fallbacks = metric(
      registry,
      'strangler_fallbacks_total',
      () =>
        new Counter({
          name: 'strangler_fallbacks_total',
          help: 'Idempotent requests sent to legacy after their target failed, by route, target and reason.',
          labelNames: ['route', 'from', 'reason'],
          registers,
        }),
    );
    this.circuitState = metric(
      registry,
      'strangler_circuit_state',
      () =>
        new Gauge({
          name: 'strangler_circuit_state',
          help: "Each upstream's circuit breaker: 0 closed, 1 open, 2 half-open.",
          labelNames: ['upstream'],
          registers,
        }),
    );
    this.guardTripped = metric(
      registry,
      'strangler_guard_tripped',
      () =>
        new Gauge({
          name: 'strangler_guard_tripped',
          help: 'Routes whose guard moved them back to legacy (1) or not (0).',
          labelNames: ['route'],
          registers,
        }),
    );
  }

  setCircuit(upstream: string, state: CircuitState | undefined): void {
    if (state === undefined) this.circuitState.remove({ upstream });
    else this.circuitState.set({ upstream }, CIRCUIT_VALUES[state]);
  }
}

import { Counter, Gauge, Histogram, type Registry } from 'prom-client';
import type { SagaPhase } from './saga-decisions';

/** How many instances are under way or stopped, per saga and status (read from the database on scrape). */
export type InstanceCounts = readonly { readonly saga: string; readonly status: string; readonly count: number }[];

const registries = new WeakMap<Registry, SagaMetrics>();

/** The runner's Prometheus metrics: one set per registry (prom-client refuses a name twice). */
export class SagaMetrics {
  /** Instances that ended, by saga and outcome (`completed`, `failed`, `compensation_failed`). */
  readonly ended: Counter<'saga' | 'outcome'>;
  /** How long a step's action took (a command's round trip, or local work), by outcome. */
  readonly stepDuration: Histogram<'saga' | 'step' | 'phase' | 'outcome'>;
  /** Actions tried again after a transient error. */
  readonly retries: Counter<'saga' | 'step' | 'phase'>;
  /** Compensations that ran to success. */
  readonly compensations: Counter<'saga' | 'step'>;
  private readonly sources = new Set<() => Promise<InstanceCounts>>();

  private constructor(registry: Registry) {
    const registers = [registry];
    this.ended = new Counter({
      name: 'sagas_instances_total',
      help: 'Saga instances that ended, by saga and outcome: completed, failed (compensated), compensation_failed (stopped for a person).',
      labelNames: ['saga', 'outcome'],
      registers,
    });
    this.stepDuration = new Histogram({
      name: 'sagas_step_duration_seconds',
      help: "How long a step's action took (a command's round trip, or local work), by saga, step, phase (forward, compensate) and outcome (ok, refused, transient).",
      labelNames: ['saga', 'step', 'phase', 'outcome'],
      buckets: [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10],
      registers,
    });
    this.retries = new Counter({
      name: 'sagas_retries_total',
      help: 'Saga actions tried again after a transient error, by saga, step and phase.',
      labelNames: ['saga', 'step', 'phase'],
      registers,
    });
    this.compensations = new Counter({
      name: 'sagas_compensations_total',
      help: 'Compensations that succeeded, by saga and step.',
      labelNames: ['saga', 'step'],
      registers,
    });
    const sources = this.sources;
    new Gauge({
      name: 'sagas_instances',
      help: 'Saga instances by saga and status: RUNNING and COMPENSATING are in flight; COMPENSATION_FAILED wait for a person.',
      labelNames: ['saga', 'status'],
      registers,
      async collect() {
        this.reset();
        for (const source of sources) {
          for (const { saga, status, count } of await source()) this.inc({ saga, status }, count);
        }
      },
    });
  }

  static for(registry: Registry): SagaMetrics {
    let metrics = registries.get(registry);
    if (!metrics) {
      metrics = new SagaMetrics(registry);
      registries.set(registry, metrics);
    }
    return metrics;
  }

  /** Counts a runner's instances in `sagas_instances` on each scrape, until the returned function is called. */
  countFrom(source: () => Promise<InstanceCounts>): () => void {
    this.sources.add(source);
    return () => this.sources.delete(source);
  }

  observeStep(saga: string, step: string, phase: SagaPhase, outcome: 'ok' | 'refused' | 'transient', seconds: number) {
    this.stepDuration.observe({ saga, step, phase, outcome }, seconds);
  }
}

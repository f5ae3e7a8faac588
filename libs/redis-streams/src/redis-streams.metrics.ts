import { Counter, Histogram, Registry } from 'prom-client';

const registries = new WeakMap<Registry, StreamsMetrics>();

type Kind = 'request' | 'event' | 'reply';

/** The metrics of one pattern and kind, with their labels bound once (a lookup per message is costly). */
export interface PatternMetrics {
  readonly received: Counter.Internal;
  readonly acknowledged: Counter.Internal;
  readonly failed: Counter.Internal;
  readonly retried: Counter.Internal;
  readonly deadLettered: Counter.Internal;
  readonly published: Counter.Internal;
  readonly handlerDuration: Histogram.Internal<'pattern' | 'kind'>;
}

const BUCKETS = [0.0005, 0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10];

/**
 * The transport's Prometheus metrics, by pattern. Servers and clients on one registry share
 * one set (prom-client refuses a metric name twice in a registry).
 */
export class StreamsMetrics {
  readonly received: Counter<'pattern' | 'kind'>;
  readonly acknowledged: Counter<'pattern' | 'kind'>;
  readonly failed: Counter<'pattern' | 'kind'>;
  readonly retried: Counter<'pattern' | 'kind'>;
  readonly deadLettered: Counter<'pattern' | 'kind'>;
  readonly expired: Counter<'pattern'>;
  readonly takenOver: Counter<'kind'>;
  readonly handlerDuration: Histogram<'pattern' | 'kind'>;
  readonly requestDuration: Histogram<'pattern' | 'outcome'>;
  readonly published: Counter<'pattern' | 'kind'>;
  private readonly bound = new Map<string, PatternMetrics>();

  private constructor(readonly registry: Registry) {
    const labelNames = ['pattern', 'kind'] as const;
    const counter = <L extends string>(name: string, help: string, labels: readonly L[]) =>
      new Counter<L>({ name, help, labelNames: labels, registers: [registry] });
    this.received = counter(
      'streams_messages_received_total',
      'Messages read from a stream (kind: request or event).',
      labelNames,
    );
    this.acknowledged = counter(
      'streams_messages_acknowledged_total',
      'Messages acknowledged after their handler succeeded.',
      labelNames,
    );
    this.failed = counter('streams_messages_failed_total', 'Handler failures (each failed delivery).', labelNames);
    this.retried = counter(
      'streams_messages_retried_total',
      'Messages delivered again after a failure or a claim.',
      labelNames,
    );
    this.deadLettered = counter(
      'streams_messages_dead_lettered_total',
      'Messages moved to the dead-letter stream.',
      labelNames,
    );
    this.expired = counter('streams_requests_expired_total', 'Requests skipped because their deadline had passed.', [
      'pattern',
    ]);
    this.takenOver = counter(
      'streams_messages_taken_over_total',
      'Pending messages taken over at once from a consumer whose liveness key expired (kind: request or event).',
      ['kind'],
    );
    this.published = counter(
      'streams_messages_published_total',
      'Messages stored by XADD (kind: request, reply or event).',
      labelNames,
    );
    this.handlerDuration = new Histogram({
      name: 'streams_handler_duration_seconds',
      help: 'Time spent in handlers, by pattern.',
      labelNames,
      buckets: BUCKETS,
      registers: [registry],
    });
    this.requestDuration = new Histogram({
      name: 'streams_request_duration_seconds',
      help: 'Round trip of send(), from XADD to the reply, by pattern and outcome (ok, error, timeout, lost, cancelled).',
      labelNames: ['pattern', 'outcome'],
      buckets: BUCKETS,
      registers: [registry],
    });
  }

  static for(registry: Registry = new Registry()): StreamsMetrics {
    let metrics = registries.get(registry);
    if (!metrics) {
      metrics = new StreamsMetrics(registry);
      registries.set(registry, metrics);
    }
    return metrics;
  }

  /** The metrics of a pattern (known to the service, so the number of label sets stays bounded). */
  of(pattern: string, kind: Kind): PatternMetrics {
    const key = `${kind} ${pattern}`;
    let bound = this.bound.get(key);
    if (!bound) {
      const labels = { pattern, kind };
      bound = {
        received: this.received.labels(labels),
        acknowledged: this.acknowledged.labels(labels),
        failed: this.failed.labels(labels),
        retried: this.retried.labels(labels),
        deadLettered: this.deadLettered.labels(labels),
        published: this.published.labels(labels),
        handlerDuration: this.handlerDuration.labels(labels),
      };
      this.bound.set(key, bound);
    }
    return bound;
  }
}

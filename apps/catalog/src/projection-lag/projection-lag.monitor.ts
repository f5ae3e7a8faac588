import { Injectable } from '@nestjs/common';
import { Gauge, Histogram } from 'prom-client';
import { MetricsRegistry } from '@app/service-defaults';

/** Buckets of the lag histogram, in seconds: from a busy-free stack (ms) to a replay of old events (hours). */
export const PROJECTION_LAG_BUCKETS = [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30, 60, 300, 3600];

/**
 * How far behind the read model is: for every event the projection applies, the time from
 * the event's `occurredAt` to the commit that applied it, as the histogram
 * `catalog_projection_lag_seconds` and the gauge `catalog_projection_last_lag_seconds`.
 */
@Injectable()
export class ProjectionLagMonitor {
  private readonly histogram: Histogram;
  private readonly gauge: Gauge;
  private lastLag: number | undefined;

  constructor(metrics: MetricsRegistry) {
    this.histogram = new Histogram({
      name: 'catalog_projection_lag_seconds',
      help: "Time from an event's occurredAt to the projection applying it.",
      buckets: PROJECTION_LAG_BUCKETS,
      registers: [metrics.registry],
    });
    this.gauge = new Gauge({
      name: 'catalog_projection_last_lag_seconds',
      help: 'Projection lag of the last event applied.',
      registers: [metrics.registry],
    });
  }

  /** Notes that an event that occurred at `occurredAt` (ISO) is applied now. A clock behind the producer's counts as 0. */
  applied(occurredAt: string, nowMs = Date.now()): void {
    const lagMs = Math.max(0, nowMs - Date.parse(occurredAt));
    this.lastLag = lagMs;
    this.histogram.observe(lagMs / 1000);
    this.gauge.set(lagMs / 1000);
  }

  /** The lag of the last event applied, in milliseconds; undefined before the first. */
  get lastLagMs(): number | undefined {
    return this.lastLag;
  }
}

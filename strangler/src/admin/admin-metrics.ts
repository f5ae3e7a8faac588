import { Inject, Injectable, OnModuleInit } from '@nestjs/common';
import { Gauge, type Registry } from 'prom-client';
import { MetricsRegistry } from '@app/service-defaults';
import type { RuleSyncStatusSource } from '../store';
import { DATA_PLANE_METRICS, RULE_SYNC } from './admin-deps';

/** The rules' metrics on `/metrics`, and the data plane's own. */
@Injectable()
export class AdminMetrics implements OnModuleInit {
  constructor(
    private readonly metrics: MetricsRegistry,
    @Inject(RULE_SYNC) private readonly sync: RuleSyncStatusSource,
    @Inject(DATA_PLANE_METRICS) private readonly dataPlane: Registry | null,
  ) {}

  onModuleInit(): void {
    const registers = [this.metrics.registry];
    const sync = this.sync;
    new Gauge({
      name: 'strangler_rules_active_version',
      help: 'The rules version this instance routes with.',
      registers,
      collect() {
        this.set(sync.status().activeVersion);
      },
    });
    new Gauge({
      name: 'strangler_rules_store_version',
      help: 'The rule store’s current version when last read.',
      registers,
      collect() {
        this.set(sync.status().storeVersion ?? 0);
      },
    });
    new Gauge({
      name: 'strangler_rules_sync_degraded',
      help: '1 while the instance cannot keep up with the rule store (Redis away), else 0.',
      registers,
      collect() {
        this.set(sync.status().state === 'degraded' ? 1 : 0);
      },
    });
    new Gauge({
      name: 'strangler_rules_history_copy_failed',
      help: '1 while this instance’s history copy cannot be used (a Redis that loses its data loses the history), else 0.',
      registers,
      collect() {
        this.set(sync.status().history?.code ? 1 : 0);
      },
    });
    // The same metric objects, in both registries: the admin plane serves them with its default labels.
    for (const { name } of this.dataPlane?.getMetricsAsArray() ?? []) {
      const metric = this.dataPlane?.getSingleMetric(name);
      if (metric && !this.metrics.registry.getSingleMetric(name)) this.metrics.registry.registerMetric(metric);
    }
  }
}

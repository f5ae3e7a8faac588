import { MetricsRegistry } from '@app/service-defaults';
import { ProjectionLagMonitor } from './projection-lag.monitor';

describe('ProjectionLagMonitor', () => {
  const setup = () => {
    const metrics = new MetricsRegistry('catalog');
    return { metrics, monitor: new ProjectionLagMonitor(metrics) };
  };
  const value = async (metrics: MetricsRegistry, name: string) =>
    (await metrics.registry.getSingleMetric(name)!.get()).values;

  it('has no lag before the first event', () => {
    expect(setup().monitor.lastLagMs).toBeUndefined();
  });

  it('observes the time from occurredAt to now, and keeps the last', async () => {
    const { metrics, monitor } = setup();
    const now = Date.parse('2026-11-22T05:00:10.000Z');

    monitor.applied('2026-11-22T05:00:00.000Z', now);
    monitor.applied('2026-11-22T05:00:09.750Z', now);

    expect(monitor.lastLagMs).toBe(250);
    expect(await value(metrics, 'catalog_projection_last_lag_seconds')).toEqual([
      expect.objectContaining({ value: 0.25 }),
    ]);
    const histogram = (await value(metrics, 'catalog_projection_lag_seconds')) as {
      metricName?: string;
      value: number;
    }[];
    const series = (name: string) => histogram.find((entry) => entry.metricName === name)?.value;
    expect(series('catalog_projection_lag_seconds_count')).toBe(2);
    expect(series('catalog_projection_lag_seconds_sum')).toBe(10.25);
  });

  it('counts an event from a clock ahead of this one as no lag', () => {
    const { monitor } = setup();
    monitor.applied('2026-11-22T05:00:01.000Z', Date.parse('2026-11-22T05:00:00.000Z'));
    expect(monitor.lastLagMs).toBe(0);
  });
});

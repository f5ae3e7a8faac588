import { TrafficSplitRecorder } from './traffic-split';

const MINUTE = 60_000;

describe('TrafficSplitRecorder', () => {
  it('counts requests by route and upstream over the last minutes', () => {
    const recorder = new TrafficSplitRecorder(10);
    const start = 1_000 * MINUTE;
    recorder.record('orders', 'legacy', start);
    recorder.record('orders', 'orders', start + MINUTE);
    recorder.record('orders', 'orders', start + 2 * MINUTE);
    recorder.record('-', 'legacy', start + 2 * MINUTE);
    expect(recorder.split(2, start + 2 * MINUTE)).toEqual({
      minutes: 2,
      since: new Date(start + MINUTE).toISOString(),
      routes: [
        { route: '-', total: 1, upstreams: { legacy: 1 } },
        { route: 'orders', total: 2, upstreams: { orders: 2 } },
      ],
    });
    expect(recorder.split(5, start + 2 * MINUTE).routes[1]).toEqual({
      route: 'orders',
      total: 3,
      upstreams: { legacy: 1, orders: 2 },
    });
  });

  it('reuses the slot of a minute that left the window, and clamps the span asked for', () => {
    const recorder = new TrafficSplitRecorder(3);
    recorder.record('a', 'legacy', 0);
    recorder.record('a', 'target', 3 * MINUTE);
    const split = recorder.split(60, 3 * MINUTE);
    expect(split.minutes).toBe(3);
    expect(split.routes).toEqual([{ route: 'a', total: 1, upstreams: { target: 1 } }]);
    expect(recorder.split(0, 3 * MINUTE).minutes).toBe(1);
  });
});

import type { RuleSetInput } from '../../src/rules';
import { type FacadeHarness, startFacade, upstreams } from '../support/facade-harness';
import { TestClient } from '../support/http-client';
import { type StubUpstream, answerWithName, closeAll, startStubUpstream } from '../support/stub-upstream';

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

describe('data plane: route guards', () => {
  let legacy: StubUpstream;
  let target: StubUpstream;
  let facade: FacadeHarness;
  const client = new TestClient();

  const rules = (id: string, guard: Record<string, number>): RuleSetInput => ({
    legacy: 'legacy',
    upstreams: upstreams({ legacy: legacy.url, target: target.url }),
    routes: [{ id, match: { path: '/api/items/**' }, target: 'target', mode: 'live', guard }],
  });

  beforeAll(async () => {
    [legacy, target] = await Promise.all([startStubUpstream('legacy'), startStubUpstream('target')]);
    facade = await startFacade({ legacy: 'legacy', upstreams: upstreams({ legacy: legacy.url }) });
  });

  afterEach(() => target.handle(answerWithName));
  afterAll(() => closeAll(facade, client, legacy, target));

  const servedBy = async () => {
    const answer = await client.get(`${facade.url}/api/items/1`);
    return answer.headers['x-strangler-upstream'];
  };

  it('moves a route to legacy when its target’s error rate crosses the limit, until the window recovers', async () => {
    facade.swap(rules('errors', { maxErrorRate: 0.5, minRequests: 4, windowMs: 1_000 }));
    target.handle((_req, res) => res.writeHead(500).end('boom'));
    const served: unknown[] = [];
    for (let i = 0; i < 6; i++) served.push(await servedBy());
    expect(served).toEqual(['target', 'target', 'target', 'target', 'legacy', 'legacy']);
    expect(facade.dataPlane.trippedRoutes()).toEqual([
      { route: 'errors', target: 'target', reason: expect.stringContaining('error rate'), since: expect.any(String) },
    ]);
    expect(await facade.metric('strangler_guard_tripped', { route: 'errors' })).toBe(1);

    target.handle(answerWithName);
    await sleep(1_100);
    expect(await servedBy()).toBe('target');
    expect(facade.dataPlane.trippedRoutes()).toEqual([]);
    expect(await facade.metric('strangler_guard_tripped', { route: 'errors' })).toBe(0);
  });

  it('moves a route to legacy when its target’s p99 latency passes maxP99Ms', async () => {
    facade.swap(rules('latency', { maxP99Ms: 50, minRequests: 3, windowMs: 5_000 }));
    target.handle((req, res, stub) => setTimeout(() => answerWithName(req, res, stub), 80));
    const served: unknown[] = [];
    for (let i = 0; i < 4; i++) served.push(await servedBy());
    expect(served).toEqual(['target', 'target', 'target', 'legacy']);
    expect(facade.dataPlane.trippedRoutes()).toMatchObject([
      { route: 'latency', reason: expect.stringContaining('p99') },
    ]);
  });

  it('stays on the target while answers are within the limits', async () => {
    facade.swap(rules('healthy', { maxErrorRate: 0.5, maxP99Ms: 5_000, minRequests: 2, windowMs: 5_000 }));
    const served = await Promise.all(Array.from({ length: 10 }, () => servedBy()));
    expect(new Set(served)).toEqual(new Set(['target']));
    expect(facade.dataPlane.trippedRoutes()).toEqual([]);
  });
});

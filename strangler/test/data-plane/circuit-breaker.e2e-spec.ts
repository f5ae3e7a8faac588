import type { RuleSetInput } from '../../src/rules';
import { type FacadeHarness, startFacade } from '../support/facade-harness';
import { TestClient } from '../support/http-client';
import {
  type StubHandler,
  type StubUpstream,
  answerWithName,
  closeAll,
  startStubUpstream,
} from '../support/stub-upstream';

const hangUp: StubHandler = (req) => req.socket.destroy();
const answer500: StubHandler = (_req, res) => res.writeHead(500).end('boom');
const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

describe('data plane: circuit breaker', () => {
  let legacy: StubUpstream;
  let target: StubUpstream;
  let facade: FacadeHarness;
  const client = new TestClient();

  // Breakers are kept by upstream name across rule versions, so each test names its own.
  let name = '';
  const rules = (breaker: Record<string, number>, fallback = false): RuleSetInput => {
    name = expect
      .getState()
      .currentTestName!.replace(/[^a-z]/g, '')
      .slice(0, 40);
    return {
      legacy: 'legacy',
      upstreams: {
        legacy: { url: legacy.url },
        [name]: { url: target.url, circuitBreaker: breaker },
      },
      routes: [{ id: 'items', match: { path: '/api/items/**' }, target: name, mode: 'live', fallback }],
    };
  };

  beforeAll(async () => {
    [legacy, target] = await Promise.all([startStubUpstream('legacy'), startStubUpstream('target')]);
    facade = await startFacade({ legacy: 'legacy', upstreams: { legacy: { url: legacy.url } } });
  });

  beforeEach(() => {
    target.requests.length = 0;
    target.handle(answerWithName);
  });

  afterAll(() => closeAll(facade, client, legacy, target));

  const get = () => client.get(`${facade.url}/api/items/1`);
  const circuit = () => facade.dataPlane.circuits().find((c) => c.upstream === name)?.state;

  it('opens after N consecutive failures, answers 503 without calling, half-opens after openMs and closes on success', async () => {
    facade.swap(rules({ consecutiveFailures: 3, errorRate: 1, windowSize: 1000, openMs: 400 }));
    expect(circuit()).toBe('closed');
    target.handle(hangUp);
    for (let i = 0; i < 3; i++) expect((await get()).status).toBe(502);
    expect(circuit()).toBe('open');
    expect(await facade.metric('strangler_circuit_state', { upstream: name })).toBe(1);

    const rejected = await get();
    expect(rejected.status).toBe(503);
    expect(rejected.json).toEqual({
      statusCode: 503,
      error: 'Service Unavailable',
      code: 'UPSTREAM_CIRCUIT_OPEN',
      message: expect.any(String),
    });
    expect(target.requests).toHaveLength(3);

    await sleep(450);
    target.handle(answerWithName);
    const probe = await get();
    expect(probe.status).toBe(200);
    expect(circuit()).toBe('closed');
    expect(await facade.metric('strangler_circuit_state', { upstream: name })).toBe(0);
    expect((await get()).status).toBe(200);
    expect(target.requests).toHaveLength(5);
  });

  it('lets exactly one probe through while half-open, and opens again when it fails', async () => {
    facade.swap(rules({ consecutiveFailures: 1, errorRate: 1, windowSize: 1000, openMs: 300 }));
    target.handle(hangUp);
    expect((await get()).status).toBe(502);
    expect(circuit()).toBe('open');
    await sleep(350);
    // The probe hangs for a while, then fails; the calls meanwhile are refused.
    target.handle((req) => setTimeout(() => req.socket.destroy(), 200));
    const [probe, ...others] = await Promise.all([get(), sleep(50).then(get), sleep(80).then(get)]);
    expect(probe.status).toBe(502);
    expect(others.map((a) => a.status)).toEqual([503, 503]);
    expect(target.requests).toHaveLength(2);
    expect(circuit()).toBe('open');
    expect((await get()).status).toBe(503);
  });

  it('opens on the error rate of 5xx answers, which are relayed until then', async () => {
    facade.swap(rules({ consecutiveFailures: 1000, errorRate: 0.5, windowSize: 4, openMs: 10_000 }));
    target.handle((req, res, stub) =>
      target.requests.length % 2 ? answer500(req, res, stub) : answerWithName(req, res, stub),
    );
    const statuses: number[] = [];
    for (let i = 0; i < 5; i++) statuses.push((await get()).status);
    expect(statuses).toEqual([500, 200, 500, 200, 503]);
    expect(circuit()).toBe('open');
  });

  it('falls back to legacy for an idempotent request while the circuit is open', async () => {
    facade.swap(rules({ consecutiveFailures: 1, errorRate: 1, windowSize: 1000, openMs: 10_000 }, true));
    target.handle(hangUp);
    const first = await get();
    expect(first.status).toBe(200);
    expect((first.json as { upstream: string }).upstream).toBe('legacy');
    expect(circuit()).toBe('open');
    const second = await get();
    expect((second.json as { upstream: string }).upstream).toBe('legacy');
    expect(target.requests).toHaveLength(1);
    const post = await client.send('POST', `${facade.url}/api/items/1`, { body: '{}' });
    expect(post.status).toBe(503);
  });
});

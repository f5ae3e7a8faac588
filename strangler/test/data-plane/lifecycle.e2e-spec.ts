import { Registry } from 'prom-client';
import { ActiveRules } from '../../src/rules';
import { createDataPlane } from '../../src/data-plane';
import { compileRules, startFacade, upstreams } from '../support/facade-harness';
import { TestClient } from '../support/http-client';
import { type StubUpstream, closeAll, startStubUpstream } from '../support/stub-upstream';

describe('data plane: lifecycle', () => {
  let legacy: StubUpstream;
  const client = new TestClient();
  const rules = () => ({ legacy: 'legacy', upstreams: upstreams({ legacy: legacy.url }) });

  beforeAll(async () => {
    legacy = await startStubUpstream('legacy', (req, res) => {
      const delay = Number(new URL(req.url ?? '/', 'http://x').searchParams.get('delay') ?? 0);
      if (delay < 0) return; // never answers
      setTimeout(() => res.end(JSON.stringify({ upstream: 'legacy' })), delay);
    });
  });

  afterAll(() => closeAll(client, legacy));

  it('lets requests under way finish on close, and accepts no new connection', async () => {
    const facade = await startFacade(rules());
    const slow = client.get(`${facade.url}/slow?delay=300`);
    await new Promise((resolve) => setTimeout(resolve, 50));
    const closing = facade.close();
    await new Promise((resolve) => setTimeout(resolve, 20));
    const late = new TestClient();
    await expect(late.get(`${facade.url}/after`)).rejects.toThrow(/ECONNREFUSED/);
    await late.close();
    expect((await slow).status).toBe(200);
    await closing;
    expect(facade.dataPlane.server.listening).toBe(false);
  });

  it('cuts what is still under way after shutdownTimeoutMs', async () => {
    const facade = await startFacade(rules(), { shutdownTimeoutMs: 300 });
    const hanging = client.get(`${facade.url}/hang?delay=-1`).catch((error: Error) => error);
    await new Promise((resolve) => setTimeout(resolve, 50));
    const started = Date.now();
    await facade.close();
    expect(Date.now() - started).toBeGreaterThanOrEqual(250);
    expect(Date.now() - started).toBeLessThan(3_000);
    expect(await hanging).toBeInstanceOf(Error);
  });

  it('checks its options when created, saying what to give', () => {
    const active = new ActiveRules(compileRules(1, rules()));
    const base = {
      rules: active,
      metrics: new Registry(),
      maxBodyBytes: 1024,
      routingHeaders: true,
      trustProxy: false,
    };
    expect(() => createDataPlane({ ...base, maxBodyBytes: -1 })).toThrow(
      'createDataPlane: maxBodyBytes (bytes; 0 refuses every body) must be a non-negative integer',
    );
    expect(() => createDataPlane({ ...base, rules: {} as ActiveRules })).toThrow(/rules must be an ActiveRules/);
    expect(() => createDataPlane({ ...base, trustProxy: 'yes' as unknown as boolean })).toThrow(
      'createDataPlane: trustProxy must be true or false',
    );
  });

  it('publishes its metrics in the registry it is given', async () => {
    const facade = await startFacade(rules());
    try {
      await client.get(`${facade.url}/api/x`);
      const text = await facade.registry.metrics();
      for (const name of [
        'strangler_requests_total',
        'strangler_request_duration_seconds',
        'strangler_upstream_errors_total',
        'strangler_retries_total',
        'strangler_fallbacks_total',
        'strangler_circuit_state',
        'strangler_guard_tripped',
      ])
        expect(text).toContain(`# TYPE ${name} `);
      expect(text).toContain('strangler_requests_total{route="-",upstream="legacy",status_class="2xx"} 1');
      expect(text).toContain('strangler_request_duration_seconds_count{route="-",upstream="legacy"} 1');
    } finally {
      await facade.close();
    }
  });
});

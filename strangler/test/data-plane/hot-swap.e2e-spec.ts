import type { RuleSetInput } from '../../src/rules';
import { type FacadeHarness, startFacade } from '../support/facade-harness';
import { TestClient } from '../support/http-client';
import { type StubUpstream, closeAll, startStubUpstream } from '../support/stub-upstream';

const SWAPS = 50;
const SWAP_EVERY_MS = 100;
const CONCURRENCY = 32;

/**
 * What version `v` of the rules does with `/api/items/**`: the route id names the version
 * (the response's `x-strangler-route` tells which version decided), and the versions take
 * turns between live on `blue`, live on `green` (which has two URLs in some versions, one of
 * which later disappears) and legacy mode.
 */
function rulesFor(version: number, stubs: Record<string, StubUpstream>): RuleSetInput {
  const target = version % 2 === 0 ? 'blue' : 'green';
  return {
    legacy: 'legacy',
    upstreams: {
      legacy: { url: stubs.legacy!.url },
      blue: { url: stubs.blue!.url },
      green: version % 4 === 1 ? { urls: [stubs.green!.url, stubs.green2!.url] } : { url: stubs.green!.url },
    },
    routes: [
      { id: `v${version}`, match: { path: '/api/items/**' }, target, mode: version % 3 === 0 ? 'legacy' : 'live' },
    ],
  };
}

function expectedUpstream(version: number): string {
  if (version % 3 === 0) return 'legacy';
  return version % 2 === 0 ? 'blue' : 'green';
}

describe('data plane: rules swapped under load', () => {
  const stubs: Record<string, StubUpstream> = {};
  let facade: FacadeHarness;
  const client = new TestClient();

  beforeAll(async () => {
    for (const [key, name] of [
      ['legacy', 'legacy'],
      ['blue', 'blue'],
      ['green', 'green'],
      ['green2', 'green'],
    ] as const) {
      stubs[key] = await startStubUpstream(name);
    }
    facade = await startFacade(rulesFor(1, stubs));
  });

  afterAll(() => closeAll(facade, client, ...Object.values(stubs)));

  it(`serves every request by the rules of its moment through ${SWAPS} swaps`, async () => {
    const results: { sentAt: number; answeredAt: number; decidedBy: number; upstream: string; status: number }[] = [];
    const failures: string[] = [];
    let running = true;

    const worker = async () => {
      while (running) {
        const sentAt = facade.rules.current.version;
        try {
          const answer = await client.get(`${facade.url}/api/items/${results.length}`);
          const route = String(answer.headers['x-strangler-route']);
          results.push({
            sentAt,
            answeredAt: facade.rules.current.version,
            decidedBy: Number(route.slice(1)),
            upstream: (answer.json as { upstream: string }).upstream,
            status: answer.status,
          });
        } catch (error) {
          failures.push(String(error));
        }
      }
    };

    const workers = Array.from({ length: CONCURRENCY }, worker);
    for (let version = 2; version <= SWAPS + 1; version++) {
      await new Promise((resolve) => setTimeout(resolve, SWAP_EVERY_MS));
      expect(facade.swap(rulesFor(version, stubs)).version).toBe(version);
    }
    await new Promise((resolve) => setTimeout(resolve, SWAP_EVERY_MS));
    running = false;
    await Promise.all(workers);

    expect(failures).toEqual([]);
    expect(results.length).toBeGreaterThan(1_000);
    expect(results.filter((r) => r.status !== 200)).toEqual([]);
    // Each answer came from the upstream that the version which decided it chose…
    expect(results.filter((r) => r.upstream !== expectedUpstream(r.decidedBy))).toEqual([]);
    // …and that version was in force at some moment while the request was under way.
    expect(results.filter((r) => r.decidedBy < r.sentAt || r.decidedBy > r.answeredAt)).toEqual([]);
    // Every version served some requests: the swaps happened under load.
    const versions = new Set(results.map((r) => r.decidedBy));
    expect(versions.size).toBeGreaterThan(SWAPS * 0.9);
    expect(stubs.green2!.requests.length).toBeGreaterThan(0);
  });
});

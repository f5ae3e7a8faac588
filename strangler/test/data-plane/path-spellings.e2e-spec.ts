import type { AddressInfo } from 'node:net';
import type { Server } from 'node:http';
import express from 'express';
import type { RuleSetInput } from '../../src/rules';
import { type FacadeHarness, startFacade, upstreams } from '../support/facade-harness';
import { TestClient, errorBodyOf, rawRequest } from '../support/http-client';
import { type StubUpstream, closeAll, startStubUpstream } from '../support/stub-upstream';

const ID = '5f1f1b9e-7c1a-4a43-9a4e-1f0b2b7d8c01';

/** A monolith's router: Express with the given settings and the write routes that moved. */
async function startExpressLegacy(settings: { caseSensitive: boolean; strict: boolean }) {
  const app = express();
  app.set('case sensitive routing', settings.caseSensitive);
  app.set('strict routing', settings.strict);
  const handler = (name: string) => (req: express.Request, res: express.Response) =>
    void res.status(201).json({ upstream: 'legacy', handler: name, url: req.originalUrl });
  app.post('/api/products', handler('create-product'));
  app.post('/api/products/:id/stock-adjustments', handler('adjust-stock'));
  app.post('/api/customers/:id/deposits', handler('make-deposit'));
  const server: Server = await new Promise((resolve) => {
    const listening = app.listen(0, '127.0.0.1', () => resolve(listening));
  });
  return {
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}

/** Stage 3's write routes, with `pathMatching` as the legacy router reads paths. */
const stageThree = (urls: Record<string, string>, pathMatching?: RuleSetInput['pathMatching']): RuleSetInput => ({
  legacy: 'legacy',
  upstreams: upstreams(urls),
  routes: [
    {
      id: 'inventory-adjust-stock',
      match: { methods: ['POST'], path: '/api/products/:id/stock-adjustments' },
      target: 'inventory',
      mode: 'live',
    },
    {
      id: 'catalog-create-product',
      match: { methods: ['POST'], path: '/api/products' },
      target: 'catalog',
      mode: 'live',
    },
    {
      id: 'payments-deposit',
      match: { methods: ['POST'], path: '/api/customers/:id/deposits' },
      target: 'payments',
      mode: 'live',
    },
  ],
  ...(pathMatching ? { pathMatching } : {}),
});

const SPELLINGS = [
  '/api/products',
  '/API/products',
  '/api/Products/',
  '/%61pi/product%73',
  `/api/products/${ID}/stock-adjustments`,
  `/API/products/${ID}/stock-adjustments`,
  `/api/products/${ID}/Stock-Adjustments/`,
  `/api/products/${ID}/stock%2Dadjustments`,
  `/api/customers/${ID}/deposits`,
  `/API/customers/${ID}/deposits`,
  `/api/customers/${ID}/Deposits`,
  `/api/customers/${ID}/deposits/`,
];

describe('data plane: every spelling of a moved route goes where its upstream router would send it', () => {
  let catalog: StubUpstream;
  let inventory: StubUpstream;
  let payments: StubUpstream;
  let express5: Awaited<ReturnType<typeof startExpressLegacy>>;
  let strictExpress: Awaited<ReturnType<typeof startExpressLegacy>>;
  let facade: FacadeHarness;
  const client = new TestClient();

  beforeAll(async () => {
    [catalog, inventory, payments, express5, strictExpress] = await Promise.all([
      startStubUpstream('catalog'),
      startStubUpstream('inventory'),
      startStubUpstream('payments'),
      startExpressLegacy({ caseSensitive: false, strict: false }),
      startExpressLegacy({ caseSensitive: true, strict: true }),
    ]);
    facade = await startFacade(stageThree(urls(express5.url)));
  });

  afterAll(() => closeAll(facade, client, catalog, inventory, payments, express5, strictExpress));

  const urls = (legacy: string) => ({ legacy, catalog: catalog.url, inventory: inventory.url, payments: payments.url });
  const stubs = () => ({ catalog, inventory, payments });

  /** Who answered a POST of `path` through the facade, with what, and the path the upstream got. */
  async function postThroughFacade(path: string) {
    const answer = await client.send('POST', `${facade.url}${path}`, { body: '{}' });
    const upstream = answer.headers['x-strangler-upstream'] as string;
    const body = answer.json as { upstream: string; url: string } | undefined;
    return { path, status: answer.status, upstream, answeredBy: body?.upstream, receivedPath: body?.url };
  }

  it('sends each spelling an Express monolith would execute to the service the route moved to, path as sent', async () => {
    // Without the facade, the monolith's Express router takes the spellings in another case or
    // with a trailing slash for the moved handlers: a second writer, had the facade let them by.
    const direct = await Promise.all(
      SPELLINGS.map(async (path) => (await client.send('POST', `${express5.url}${path}`, { body: '{}' })).status),
    );
    expect(direct).toEqual([201, 201, 201, 404, 201, 201, 201, 404, 201, 201, 201, 201]);

    const seen = await Promise.all(SPELLINGS.map(postThroughFacade));
    const target = (path: string) =>
      /deposits/i.test(path) ? 'payments' : /stock/i.test(path) ? 'inventory' : 'catalog';
    expect(seen).toEqual(
      SPELLINGS.map((path) => ({
        path,
        status: 200,
        upstream: target(path),
        answeredBy: target(path),
        receivedPath: path,
      })),
    );
    // Nothing reached the monolith's handlers.
    expect(seen.filter((answer) => answer.upstream === 'legacy')).toEqual([]);
    expect(Object.values(stubs()).reduce((sum, stub) => sum + stub.requests.length, 0)).toBe(SPELLINGS.length);
  });

  it('with a case-sensitive, strict legacy router, sends what that router would refuse to legacy, which refuses it', async () => {
    facade.swap(stageThree(urls(strictExpress.url), { caseSensitive: true, strictTrailingSlash: true }));
    const seen = await Promise.all(SPELLINGS.map(postThroughFacade)).finally(() =>
      facade.swap(stageThree(urls(express5.url))),
    );
    // Each spelling is either taken by its service, or sent to legacy whose strict router answers 404.
    const outcome = seen.map(({ path, status, upstream }) => `${path} → ${upstream} ${status}`);
    expect(outcome).toEqual([
      '/api/products → catalog 200',
      '/API/products → legacy 404',
      '/api/Products/ → legacy 404',
      '/%61pi/product%73 → catalog 200',
      `/api/products/${ID}/stock-adjustments → inventory 200`,
      `/API/products/${ID}/stock-adjustments → legacy 404`,
      `/api/products/${ID}/Stock-Adjustments/ → legacy 404`,
      `/api/products/${ID}/stock%2Dadjustments → inventory 200`,
      `/api/customers/${ID}/deposits → payments 200`,
      `/API/customers/${ID}/deposits → legacy 404`,
      `/api/customers/${ID}/Deposits → legacy 404`,
      `/api/customers/${ID}/deposits/ → legacy 404`,
    ]);
  });

  it.each([
    ['POST /API/products/%2e%2e/x HTTP/1.1'],
    ['POST /API/Products%2Fx HTTP/1.1'],
    ['POST /api/customers/x/DEPOSITS%5c HTTP/1.1'],
  ])('still refuses a path that could mean another once normalised: %s', async (line) => {
    const answer = await rawRequest(
      facade.port,
      `${line}\r\nHost: x\r\nContent-Length: 0\r\nConnection: close\r\n\r\n`,
    );
    expect({ status: answer.status, body: answer.json }).toEqual({
      status: 400,
      body: errorBodyOf(400, 'Bad Request', 'VALIDATION_FAILED'),
    });
  });
});

import type { ServerResponse } from 'node:http';
import { POSITIONS_HEADER } from '@app/contracts';
import { SerialQueue } from '@app/database';
import {
  RequestPositions,
  currentRequestPositions,
  outsideRequestPositions,
  runWithRequestPositions,
} from './request-positions';

/** The two members of a response the store uses. */
function response(): ServerResponse & { headers: Record<string, unknown> } {
  const headers: Record<string, unknown> = {};
  return {
    headers,
    headersSent: false,
    setHeader(name: string, value: unknown) {
      headers[name] = value;
      return this;
    },
  } as unknown as ServerResponse & { headers: Record<string, unknown> };
}

const position = (aggregateId: string, sequence: number, aggregateType = 'customer') => ({
  origin: 'payments',
  aggregateType,
  aggregateId,
  sequence,
});

describe('RequestPositions', () => {
  it('writes every committed position into the header, the highest of each aggregate', () => {
    const res = response();
    const store = new RequestPositions(res);
    store.add(position('c1', 1));
    store.add(position('p1', 7, 'product'));
    store.add(position('c1', 2));
    store.add(position('c1', 1));
    expect(res.headers[POSITIONS_HEADER]).toBe('payments:customer:c1:2,payments:product:p1:7');
    expect(store.positions).toEqual([position('c1', 2), position('p1', 7, 'product')]);
  });

  it('leaves a response whose headers are sent alone', () => {
    const res = response();
    (res as { headersSent: boolean }).headersSent = true;
    new RequestPositions(res).add(position('c1', 1));
    expect(res.headers).toEqual({});
  });
});

describe('the request store', () => {
  it('is none outside a request, and in work a request hands on to outlive it', async () => {
    expect(currentRequestPositions()).toBeUndefined();
    const store = new RequestPositions(response());
    const later = runWithRequestPositions(store, () =>
      outsideRequestPositions(() => new Promise((resolve) => setTimeout(() => resolve(currentRequestPositions()), 1))),
    );
    await expect(later).resolves.toBeUndefined();
  });

  it("follows each request into the UnitOfWork's serial queue, even queued behind another request's task", async () => {
    const queue = new SerialQueue();
    const first = new RequestPositions(response());
    const second = new RequestPositions(response());
    let release!: () => void;
    const held = new Promise<void>((resolve) => (release = resolve));
    const seen: [string, RequestPositions | undefined][] = [];

    const a = runWithRequestPositions(first, () =>
      queue.run(async () => {
        await held;
        seen.push(['first', currentRequestPositions()]);
      }),
    );
    // Queued while the first task runs: it starts from the first's promise, in its own request.
    const b = runWithRequestPositions(second, () =>
      queue.run(async () => {
        seen.push(['second', currentRequestPositions()]);
      }),
    );
    release();
    await Promise.all([a, b]);

    expect(seen).toEqual([
      ['first', first],
      ['second', second],
    ]);
  });
});

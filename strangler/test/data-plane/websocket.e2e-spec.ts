import type { IncomingMessage } from 'node:http';
import { connect } from 'node:net';
import { WebSocket } from 'undici';
import { type FacadeHarness, startFacade, upstreams } from '../support/facade-harness';
import { rawRequest } from '../support/http-client';
import { type StubUpstream, closeAll, refusingUrl, startStubUpstream } from '../support/stub-upstream';
import { acceptWebSockets } from '../support/websocket-echo';

/** Opens a WebSocket, sends each message in turn and collects the replies. */
async function echo(url: string, messages: string[]): Promise<string[]> {
  const socket = new WebSocket(url);
  const replies: string[] = [];
  await new Promise<void>((resolve, reject) => {
    socket.addEventListener('open', () => socket.send(messages[0] as string));
    socket.addEventListener('message', (event) => {
      replies.push(String(event.data));
      if (replies.length === messages.length) socket.close();
      else socket.send(messages[replies.length] as string);
    });
    socket.addEventListener('close', () => resolve());
    socket.addEventListener('error', (event) => reject(new Error(`WebSocket error: ${String(event.type)}`)));
  });
  return replies;
}

const upgradeRequest = (path: string) =>
  `GET ${path} HTTP/1.1\r\nHost: x\r\nConnection: Upgrade\r\nUpgrade: websocket\r\nSec-WebSocket-Version: 13\r\nSec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==\r\n\r\n`;

describe('data plane: WebSocket upgrades', () => {
  let legacy: StubUpstream;
  let live: StubUpstream;
  let facade: FacadeHarness;
  let seenByLive: IncomingMessage['headers'][];

  beforeAll(async () => {
    [legacy, live] = await Promise.all([startStubUpstream('legacy'), startStubUpstream('live')]);
    acceptWebSockets(legacy);
    seenByLive = acceptWebSockets(live);
    facade = await startFacade({
      legacy: 'legacy',
      upstreams: upstreams({ legacy: legacy.url, live: live.url, down: await refusingUrl() }),
      routes: [
        { id: 'ws-live', match: { path: '/ws/live/**' }, target: 'live', mode: 'live' },
        { id: 'ws-down', match: { path: '/ws/down' }, target: 'down', mode: 'live' },
      ],
    });
  });

  afterAll(() => closeAll(facade, legacy, live));

  it('pipes a WebSocket to the upstream the rules choose, both ways', async () => {
    expect(await echo(`ws://127.0.0.1:${facade.port}/ws/live/chat`, ['hello', 'again', 'x'.repeat(300)])).toEqual([
      'live:hello',
      'live:again',
      `live:${'x'.repeat(300)}`,
    ]);
    expect(await echo(`ws://127.0.0.1:${facade.port}/ws/elsewhere`, ['hi'])).toEqual(['legacy:hi']);
    const seen = seenByLive.at(-1)!;
    expect(seen.host).toBe(`127.0.0.1:${live.port}`);
    expect(seen['x-forwarded-for']).toBe('127.0.0.1');
    expect(seen['x-request-id']).toBeDefined();
    expect(seen.traceparent).toMatch(/^00-[0-9a-f]{32}-[0-9a-f]{16}-01$/);
  });

  it('relays the 101 answer with the routing headers', async () => {
    const answer = await new Promise<string>((resolve) => {
      const socket = connect(facade.port, '127.0.0.1', () => socket.write(upgradeRequest('/ws/live/x')));
      socket.once('data', (chunk) => {
        resolve(chunk.toString('latin1'));
        socket.destroy();
      });
    });
    expect(answer).toMatch(/^HTTP\/1\.1 101 Switching Protocols\r\n/);
    expect(answer).toContain('Upgrade: websocket\r\n');
    expect(answer).toContain('Sec-WebSocket-Accept: s3pPLMBiTxaQ9kYGzzhZRbK+xOo=\r\n');
    expect(answer).toContain('x-strangler-route: ws-live\r\n');
    expect(answer).toContain('x-strangler-upstream: live\r\n');
  });

  it('relays an upstream’s refusal to upgrade as it is', async () => {
    const answer = await rawRequest(facade.port, upgradeRequest('/ws/refuse'));
    expect(answer.status).toBe(403);
    expect(answer.text).toBe('refused');
  });

  it('answers 502 when the upstream cannot be reached, and 400 for a refused path', async () => {
    const down = await rawRequest(facade.port, upgradeRequest('/ws/down'));
    expect(down.status).toBe(502);
    expect(down.json).toMatchObject({ code: 'UPSTREAM_UNAVAILABLE' });
    const refused = await rawRequest(facade.port, upgradeRequest('/ws/live/%2e%2e/x'));
    expect(refused.status).toBe(400);
    expect(refused.json).toMatchObject({ code: 'VALIDATION_FAILED' });
  });
});

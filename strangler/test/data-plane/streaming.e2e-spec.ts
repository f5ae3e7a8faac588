import { createHash } from 'node:crypto';
import { Readable } from 'node:stream';
import { request } from 'undici';
import { upstreams } from '../support/facade-harness';
import { FacadeProcess } from '../support/facade-process';
import { TestClient } from '../support/http-client';
import { MiB } from '../support/memory-probe';
import { type StubUpstream, closeAll, startStubUpstream } from '../support/stub-upstream';

const SIZE = 50 * MiB;
const CHUNK = 64 * 1024;
const BLOCK = Buffer.from(Array.from({ length: CHUNK }, (_, i) => i % 251));
/** The slow side takes about 20 MiB/s: 40 ms of rest per MiB. */
const PAUSE_PER_MIB_MS = 40;
const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/**
 * `size` bytes of a repeating pattern, produced only as fast as they are read. The same
 * block goes out again and again, so the producer allocates nothing.
 */
function pattern(size: number): Readable {
  let produced = 0;
  return new Readable({
    read() {
      if (produced >= size) return void this.push(null);
      const length = Math.min(CHUNK, size - produced);
      produced += length;
      this.push(length === CHUNK ? BLOCK : BLOCK.subarray(0, length));
    },
  });
}

function digestOf(size: number): string {
  const hash = createHash('sha256');
  for (let done = 0; done < size; done += CHUNK) hash.update(BLOCK.subarray(0, Math.min(CHUNK, size - done)));
  return hash.digest('hex');
}

/**
 * 50 MiB each way through the facade, a fast producer against a slow consumer: a proxy that
 * ignored backpressure would have to hold most of it. The facade runs in a process of its
 * own, whose memory growth is measured: its peak RSS, and its peak JS heap plus buffers
 * (sampled after collecting garbage, every 20 ms).
 */
describe('data plane: streaming without buffering', () => {
  let legacy: StubUpstream;
  let facade: FacadeProcess;
  const client = new TestClient();
  const expectedDigest = digestOf(SIZE);

  beforeAll(async () => {
    legacy = await startStubUpstream('legacy');
    facade = await FacadeProcess.start(
      { legacy: 'legacy', upstreams: upstreams({ legacy: legacy.url }) },
      { maxBodyBytes: 64 * MiB },
    );
  });

  afterAll(() => closeAll(facade, client, legacy));

  const upload = (size: number) =>
    client.send('PUT', `${facade.url}/api/upload`, {
      headers: { 'content-length': String(size), 'content-type': 'application/octet-stream' },
      body: pattern(size),
    });

  const download = async (size: number, onChunk: (received: number) => Promise<void> | void = () => undefined) => {
    const response = await request(`${facade.url}/api/download?size=${size}`, { dispatcher: client.agent });
    const hash = createHash('sha256');
    let received = 0;
    for await (const chunk of response.body as AsyncIterable<Buffer>) {
      hash.update(chunk);
      received += chunk.length;
      await onChunk(received);
    }
    return { status: response.statusCode, headers: response.headers, received, digest: hash.digest('hex') };
  };

  /**
   * Before measuring, a few fast transfers the same way: they set up pools and parsers, and
   * let V8 compile the hot code (its optimising compiler briefly takes tens of MiB on a
   * background thread), which is a one-time cost, not the facade holding data.
   */
  const WARM_UP = [16 * MiB, 16 * MiB, 16 * MiB];
  let slow = false;

  it('streams a 50 MiB upload to a slow upstream with flat memory', async () => {
    legacy.handle((req, res) => {
      const hash = createHash('sha256');
      let received = 0;
      let sincePause = 0;
      req.on('data', (chunk: Buffer) => {
        hash.update(chunk);
        received += chunk.length;
        sincePause += chunk.length;
        if (slow && sincePause >= MiB) {
          sincePause = 0;
          req.pause();
          setTimeout(() => req.resume(), PAUSE_PER_MIB_MS);
        }
      });
      req.on('end', () => res.end(JSON.stringify({ received, digest: hash.digest('hex') })));
    });
    slow = false;
    for (const size of WARM_UP) await upload(size);
    slow = true;

    facade.startProbe();
    const started = Date.now();
    const answer = await upload(SIZE);
    const growth = await facade.stopProbe();

    expect(answer.status).toBe(200);
    expect(answer.json).toEqual({ received: SIZE, digest: expectedDigest });
    expect(Date.now() - started).toBeGreaterThan((SIZE / MiB) * PAUSE_PER_MIB_MS * 0.8);
    expect(growth.retained).toBeLessThan(20 * MiB);
    expect(growth.rss).toBeLessThan(20 * MiB);
  });

  it('streams a 50 MiB download to a slow client with flat memory', async () => {
    legacy.handle((req, res) => {
      const size = Number(new URL(req.url ?? '/', 'http://x').searchParams.get('size'));
      res.writeHead(200, { 'content-type': 'application/octet-stream', 'content-length': String(size) });
      pattern(size).pipe(res);
    });
    for (const size of WARM_UP) await download(size);

    facade.startProbe();
    const started = Date.now();
    let pausedAt = 0;
    const result = await download(SIZE, async (received) => {
      if (received - pausedAt >= MiB) {
        pausedAt = received;
        await sleep(PAUSE_PER_MIB_MS);
      }
    });
    const growth = await facade.stopProbe();

    expect(result.status).toBe(200);
    expect(result.headers['content-length']).toBe(String(SIZE));
    expect(result.received).toBe(SIZE);
    expect(result.digest).toBe(expectedDigest);
    expect(Date.now() - started).toBeGreaterThan((SIZE / MiB) * PAUSE_PER_MIB_MS * 0.8);
    expect(growth.retained).toBeLessThan(20 * MiB);
    expect(growth.rss).toBeLessThan(20 * MiB);
  });
});

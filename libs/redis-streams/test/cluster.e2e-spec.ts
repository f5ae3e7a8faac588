import { Controller } from '@nestjs/common';
import { Ctx, EventPattern, MessagePattern, Payload } from '@nestjs/microservices';
import { type Observable, firstValueFrom, lastValueFrom } from 'rxjs';
import {
  type RedisConnection,
  RedisStreamsContext,
  type RedisStreamsStatus,
  StreamsError,
  keySlot,
} from '@app/redis-streams';
import { RedisCluster } from '../../../tools/testing/redis-cluster';
import { StreamsHarness, eventually, failureOf } from './support/streams-harness';

const ticks: number[] = [];

@Controller()
class ClusterController {
  @MessagePattern('cluster.ping')
  ping(@Payload() n: number): number {
    return n + 1;
  }

  @EventPattern<string>('cluster.tick')
  tick(@Payload() data: { n: number }, @Ctx() _context: RedisStreamsContext): void {
    ticks.push(data.n);
  }
}

const fast = { reconnectBaseDelayMs: 50, reconnectMaxDelayMs: 200 };

function record(source: { status: Observable<RedisStreamsStatus> }): RedisStreamsStatus[] {
  const seen: RedisStreamsStatus[] = [];
  source.status.subscribe((status) => seen.push(status));
  return seen;
}

/** The port of the master that serves `key`, as the cluster says (`CLUSTER SLOTS`). */
async function portOf(redis: RedisConnection, key: string): Promise<number> {
  const slot = Number(await redis.sendCommand(['CLUSTER', 'KEYSLOT', key]));
  const ranges = (await redis.sendCommand(['CLUSTER', 'SLOTS'])) as [number, number, [string, number]][];
  const range = ranges.find(([from, to]) => from <= slot && slot <= to);
  if (!range) throw new Error(`No node serves slot ${slot}`);
  return Number(range[2][1]);
}

/** A client instance id whose reply stream is on the node on `port`. */
async function instanceIdOn(harness: StreamsHarness, origin: string, port: number): Promise<string> {
  for (let i = 0; i < 1_000; i++) {
    if ((await portOf(harness.redis, harness.keyLayout.replies(origin, `on-${port}-${i}`))) === port) {
      return `on-${port}-${i}`;
    }
  }
  throw new Error(`No reply stream of ${origin} lands on ${port}`);
}

/**
 * What only a Redis Cluster has: keys hashed by their tag and spread over nodes, and one node
 * failing while the others answer. The transport's other suites run on a cluster too.
 */
describe('on a Redis Cluster', () => {
  let cluster: RedisCluster;
  let harness: StreamsHarness;
  beforeAll(async () => {
    cluster = await RedisCluster.start();
    harness = await new StreamsHarness({
      name: 'a Redis Cluster',
      cluster: true,
      url: async () => cluster.url,
    }).start();
  });
  afterEach(async () => {
    await harness.reset();
    ticks.length = 0;
  });
  afterAll(async () => {
    await harness?.cleanup();
    await cluster?.stop();
  });

  it('hashes the transport’s keys as keySlot() computes it: the streams in one slot, the rest spread', async () => {
    const keys = harness.keyLayout;
    const streams = [
      keys.requests('payments'),
      keys.events('order.placed'),
      keys.deadLetters('payments'),
      keys.mark('o'),
    ];
    const alone = Array.from({ length: 12 }, (_, i) => keys.replies('orders', `instance-${i}`));
    for (const key of [...streams, ...alone]) {
      expect(Number(await harness.redis.sendCommand(['CLUSTER', 'KEYSLOT', key]))).toBe(keySlot(key));
    }
    expect(new Set(streams.map(keySlot)).size).toBe(1);
    const nodes = new Set(await Promise.all(alone.map((key) => portOf(harness.redis, key))));
    expect(nodes.size).toBeGreaterThan(1);
  });

  it('fails fast while the node of the streams is down, reports it, and recovers once it is back without its keys', async () => {
    const { server } = await harness.service([ClusterController], { service: 'clustered', ...fast });
    const port = await portOf(harness.redis, server.keys.requests('clustered'));
    // Its reply stream on that node too: lost with it, and made again once the node is back.
    const instanceId = await instanceIdOn(harness, 'caller', port);
    const client = await harness.client({ origin: 'caller', service: 'clustered', instanceId, ...fast });
    const serverStatus = record(server);
    const clientStatus = record(client);
    expect(await firstValueFrom(client.send('cluster.ping', 1))).toBe(2);
    await lastValueFrom(client.emit('cluster.tick', { n: 1 }));
    await eventually(() => ticks.includes(1));
    await eventually(() => serverStatus.at(-1) === 'connected' && clientStatus.at(-1) === 'connected');

    await cluster.killNode(port);
    await eventually(() => serverStatus.at(-1) === 'reconnecting', 5_000, 'the server to say reconnecting');
    const started = Date.now();
    const refused = await failureOf(client.emit('cluster.tick', { n: 2 }));
    expect(refused).toBeInstanceOf(StreamsError);
    expect(refused.code).toBe('STREAMS_CONNECTION_LOST');
    expect(Date.now() - started).toBeLessThan(2_000);

    // Back, with its slots and without its keys: the groups and streams are made again.
    await cluster.restartNode(port);
    await eventually(
      () => serverStatus.at(-1) === 'connected' && clientStatus.at(-1) === 'connected',
      10_000,
      'both to say connected',
    );
    // The node answers once the cluster is ok again; the reply stream is made again by then.
    await eventually(
      async () => (await firstValueFrom(client.send('cluster.ping', 3, { timeoutMs: 1_000 })).catch(() => 0)) === 4,
      10_000,
      'a request answered after the restart',
    );
    expect(await harness.redis.exists(client.replyStream)).toBe(1);
    await lastValueFrom(client.emit('cluster.tick', { n: 3 }));
    await eventually(() => ticks.includes(3), 5_000, 'the event after the restart');
  }, 30_000);
});

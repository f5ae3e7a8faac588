import { type ChildProcess, execFile, spawn } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { type RedisConnection, connectOrFail, createRedisConnection } from '@app/redis-streams';
import { freePort } from './free-port';
import { untilRedisReady } from './redis-process';
import { TEST_REDIS_URL } from './test-redis';

const REDIS_SERVER = process.env.REDIS_SERVER_BIN ?? 'redis-server';
const REDIS_CLI = process.env.REDIS_CLI_BIN ?? 'redis-cli';
const run = promisify(execFile);

/** How long the cluster may take to start (three servers, the slots handed out, every node agreeing). */
const START_TIMEOUT_MS = 20_000;

/**
 * A Redis Cluster of the test's own: three masters (no replicas) on free ports, in a temporary
 * folder, without persistence. {@link url} names one node as the seed, with `?cluster=true`, as
 * `REDIS_URL` does for a clustered deployment; {@link stop} kills the servers and deletes the
 * folder. One per test file is enough: tests keep apart by their key prefixes, as on the shared
 * Redis.
 *
 * @example
 * const cluster = await RedisCluster.start();
 * try { … new RedisStreamsServer({ url: cluster.url, … }) … } finally { await cluster.stop(); }
 */
export class RedisCluster {
  private readonly dir = mkdtempSync(join(tmpdir(), 'ficus-cluster-'));
  private readonly children = new Map<number, ChildProcess>();
  /** The cluster bus port of each node's port: given, since the default (port + 10000) may be taken or past 65535. */
  private readonly busPorts = new Map<number, number>();

  private constructor(readonly ports: readonly number[]) {}

  /** The seed node's URL, marked as a cluster. */
  get url(): string {
    return `redis://127.0.0.1:${this.ports[0]}?cluster=true`;
  }

  static async start(masters = 3): Promise<RedisCluster> {
    const ports: number[] = [];
    for (let i = 0; i < masters; i++) ports.push(await freePort());
    const cluster = new RedisCluster(ports);
    for (const port of ports) cluster.busPorts.set(port, await freePort());
    try {
      await Promise.all(ports.map((port) => cluster.startNode(port)));
      await run(
        REDIS_CLI,
        [
          '--cluster',
          'create',
          ...ports.map((port) => `127.0.0.1:${port}`),
          '--cluster-replicas',
          '0',
          '--cluster-yes',
        ],
        { timeout: START_TIMEOUT_MS },
      );
      await cluster.waitUntilReady(Date.now() + START_TIMEOUT_MS);
      return cluster;
    } catch (error) {
      await cluster.stop();
      throw error;
    }
  }

  /** Kills every node and deletes the folder. */
  async stop(): Promise<void> {
    await Promise.all(this.ports.map((port) => this.killNode(port)));
    rmSync(this.dir, { recursive: true, force: true });
  }

  /** Kills one node at once (a crash: its connections drop; without persistence its keys are gone). */
  async killNode(port: number): Promise<void> {
    const child = this.children.get(port);
    this.children.delete(port);
    if (!child || child.exitCode !== null || child.signalCode !== null) return;
    await new Promise<void>((resolve) => {
      child.once('exit', () => resolve());
      child.kill('SIGKILL');
    });
  }

  /**
   * Starts a killed node again on its port, from its cluster configuration file: it comes back
   * with its slots and without its keys. Resolves once every node says the cluster is ok. Restart
   * it well within the cluster's node timeout (15 s), before the others mark it as failed.
   */
  async restartNode(port: number): Promise<void> {
    if (this.children.has(port)) throw new Error(`The node on ${port} is running`);
    await this.startNode(port);
    await this.waitUntilReady(Date.now() + START_TIMEOUT_MS);
  }

  private async startNode(port: number): Promise<void> {
    const child = spawn(
      REDIS_SERVER,
      [
        '--port',
        String(port),
        '--bind',
        '127.0.0.1',
        '--cluster-enabled',
        'yes',
        '--cluster-port',
        String(this.busPorts.get(port)),
        '--cluster-config-file',
        join(this.dir, `nodes-${port}.conf`),
        '--appendonly',
        'no',
        '--save',
        '',
        '--dir',
        this.dir,
      ],
      { stdio: ['ignore', 'pipe', 'pipe'] },
    );
    this.children.set(port, child);
    await untilRedisReady(child, `redis-server on ${port}`);
  }

  /** Polls every node until each says `cluster_state:ok` and knows every other node. */
  private async waitUntilReady(deadline: number): Promise<void> {
    for (;;) {
      const states = await Promise.all(
        this.ports.map(async (port) => {
          // A node still starting refuses the connection: not ready yet.
          const { stdout } = await run(REDIS_CLI, ['-p', String(port), 'CLUSTER', 'INFO']).catch(() => ({
            stdout: '',
          }));
          return (
            /cluster_state:ok/.test(stdout) && new RegExp(`cluster_known_nodes:${this.ports.length}\\b`).test(stdout)
          );
        }),
      );
      if (states.every(Boolean)) return;
      if (Date.now() > deadline) throw new Error(`The cluster on ${this.ports.join(', ')} did not become ready`);
      await new Promise((resolve) => setTimeout(resolve, 50));
    }
  }
}

/** Where a suite runs: the shared test Redis, or a Redis Cluster of the test file's own. */
export interface RedisTarget {
  /** For test titles: `one Redis` or `a Redis Cluster`. */
  readonly name: string;
  readonly cluster: boolean;
  /** The URL to give the code under test (with `?cluster=true` on a cluster); starts the cluster on first use. */
  url(): Promise<string>;
}

/** The shared test Redis (`TEST_REDIS_URL`). */
export const SINGLE_REDIS: RedisTarget = {
  name: 'one Redis',
  cluster: false,
  url: () => Promise.resolve(TEST_REDIS_URL),
};

/**
 * A test's own connection to a target's URL, connected, as the library makes them: on a cluster
 * one that reaches every master (a scan visits them all, a `del` over several slots is split per
 * node). Its errors are dropped; close it when done.
 */
export async function connectToTarget(url: string, name: string): Promise<RedisConnection> {
  const redis = createRedisConnection({ url, reconnectBaseDelayMs: 50, reconnectMaxDelayMs: 500 }, name);
  redis.on('error', () => undefined);
  await connectOrFail(redis, url);
  return redis;
}

/** The keys under `prefix`, sorted (on a cluster, of every master). */
export async function keysUnder(redis: RedisConnection, prefix: string): Promise<string[]> {
  const keys: string[] = [];
  let cursor = '0';
  do {
    const reply = await redis.scan(cursor, { MATCH: `${prefix}*`, COUNT: 1000 });
    cursor = String(reply.cursor);
    keys.push(...reply.keys.map(String));
  } while (cursor !== '0');
  return keys.sort();
}

/** Deletes every key under `prefix` (a prefix the test owns). */
export async function deleteKeysUnder(redis: RedisConnection, prefix: string): Promise<void> {
  const keys = await keysUnder(redis, prefix);
  if (keys.length > 0) await redis.del(keys);
}

/**
 * The two targets a suite runs its assertions on (`describe.each(targets.all)`): the shared test
 * Redis, and a three-master Redis Cluster started when a test first asks for its URL and shared by
 * the whole test file. Stop it in the file's `afterAll`.
 *
 * @example
 * const targets = new RedisTargets();
 * afterAll(() => targets.stop());
 * describe.each(targets.all)('request-reply on $name', (target) => { … await target.url() … });
 */
export class RedisTargets {
  private started?: Promise<RedisCluster>;

  readonly single: RedisTarget = SINGLE_REDIS;

  readonly cluster: RedisTarget = {
    name: 'a Redis Cluster',
    cluster: true,
    url: async () => {
      this.started ??= RedisCluster.start();
      return (await this.started).url;
    },
  };

  get all(): RedisTarget[] {
    return [this.single, this.cluster];
  }

  /** Stops the cluster, if it was started. */
  async stop(): Promise<void> {
    const started = this.started;
    this.started = undefined;
    await (await started?.catch(() => undefined))?.stop();
  }
}

import { EventEmitter } from 'node:events';
import { type RedisArgument, createCluster } from 'redis';
import { firstKeyOf } from './command-key';
import type { ConnectionSettings, RedisConnection, RedisMulti, TypedCommand } from './redis-connection';

type Cluster = ReturnType<typeof openCluster>;
type ClusterMultiCommand = ReturnType<Cluster['multi']>;
type NodeInfo = { readonly host?: string; readonly port?: number };

/** The settings a cluster's connections to its nodes share. */
export interface ClusterSettings extends ConnectionSettings {
  /** The seed node's URL, without the `cluster` parameter. */
  readonly seedUrl: string;
  readonly name: string;
  /** Connect to a node only once a command goes there (a connection for blocking reads or pub/sub). */
  readonly lazy: boolean;
  readonly reconnectStrategy: (retries: number) => number;
}

/** A node-redis cluster client for `settings`; the URL's credentials and TLS apply to every node. */
function openCluster(settings: ClusterSettings) {
  const seed = new URL(settings.seedUrl);
  return createCluster({
    rootNodes: [{ url: settings.seedUrl }],
    // What every node's connection needs: node-redis does not carry the seed's URL over.
    defaults: {
      name: settings.name,
      ...(seed.username ? { username: decodeURIComponent(seed.username) } : {}),
      ...(seed.password ? { password: decodeURIComponent(seed.password) } : {}),
      disableOfflineQueue: true,
      socket: {
        tls: seed.protocol === 'rediss:',
        connectTimeout: 5_000,
        reconnectStrategy: settings.reconnectStrategy,
      },
    },
    // As on a single Redis: RESP2 replies, and no per-command timer (see createRedisConnection).
    RESP: 2,
    commandOptions: { timeout: 0 },
    minimizeConnections: settings.lazy,
  });
}

/** A MULTI block on a cluster: routed by its commands' first key, which must all share one slot. */
class ClusterMulti implements RedisMulti {
  constructor(private readonly multi: ClusterMultiCommand) {}

  addCommand(args: ReadonlyArray<RedisArgument>): this {
    this.multi.addCommand(firstKeyOf(args), undefined, args as RedisArgument[]);
    return this;
  }

  exec(): Promise<unknown> {
    return this.multi.exec();
  }
}

/**
 * A Redis Cluster behind the interface of one connection ({@link RedisConnection}), so that the
 * transport, the rule store and the facade run unchanged on either:
 *
 * - raw commands (`sendCommand(args)`) and `MULTI` blocks go to the node owning their first key
 *   ({@link firstKeyOf}); node-redis follows `MOVED` and `ASK` redirections;
 * - typed commands (`get`, `eval`, `scan`…) are node-redis's cluster commands: `scan` visits every
 *   master, and a multi-key `mGet`/`del` over several slots is split per node;
 * - events are those of one client: `ready` once every node it uses is, `reconnecting` while one is
 *   not, `error` for any node's error, `end` once closed.
 *
 * Each instance has connections of its own to the nodes, so a blocking read on one never holds
 * the commands of another.
 */
export class ClusterConnection
  extends EventEmitter
  // The typed commands come from the cluster (see withCommands); on/once/off from EventEmitter.
  implements Omit<RedisConnection, TypedCommand | 'on' | 'once' | 'off'>
{
  /** Nodes that lost their connection and have not got it back. */
  private readonly down = new Set<string>();

  private constructor(
    private readonly cluster: Cluster,
    private readonly settings: ClusterSettings,
  ) {
    super();
    const address = (node: NodeInfo) => `${node.host}:${node.port}`;
    cluster.on('connect', () => {
      this.emit('connect');
      this.emit('ready');
    });
    cluster.on('disconnect', () => this.emit('end'));
    cluster.on('error', (error: Error) => this.emit('error', error));
    cluster.on('node-error', (error: Error) => this.emit('error', error));
    cluster.on('node-reconnecting', (node: NodeInfo) => {
      this.down.add(address(node));
      this.emit('reconnecting');
    });
    const up = (node: NodeInfo) => {
      if (this.down.delete(address(node)) && this.down.size === 0 && cluster.isReady) this.emit('ready');
    };
    cluster.on('node-ready', up);
    // A node gone from the topology (or every node, on close) is no longer waited for.
    cluster.on('node-disconnect', up);
  }

  /** A connection to the cluster that `settings.seedUrl` names a node of. */
  static create(settings: ClusterSettings): RedisConnection {
    return new ClusterConnection(openCluster(settings), settings).withCommands();
  }

  get isOpen(): boolean {
    return this.cluster.isOpen;
  }

  get isReady(): boolean {
    return this.cluster.isReady && this.down.size === 0;
  }

  /** The seed node's URL, as a client's `options.url`. */
  get options(): { readonly url: string } {
    return { url: this.settings.url };
  }

  sendCommand<T>(args: ReadonlyArray<RedisArgument>, options?: Parameters<Cluster['sendCommand']>[3]): Promise<T> {
    return this.cluster.sendCommand<T>(firstKeyOf(args), undefined, args as RedisArgument[], options);
  }

  multi(): RedisMulti {
    return new ClusterMulti(this.cluster.multi());
  }

  /** Another connection to the same cluster; it connects to a node only once it uses it (pub/sub, blocking reads). */
  duplicate(): RedisConnection {
    return ClusterConnection.create({ ...this.settings, lazy: true });
  }

  async connect(): Promise<this> {
    await this.cluster.connect();
    return this;
  }

  close(): Promise<void> {
    return this.cluster.close();
  }

  destroy(): void {
    this.cluster.destroy();
  }

  /** Classic pub/sub: Redis Cluster carries every message to every node, so one node's connection hears them all. */
  subscribe(channels: string | string[], listener: (message: string, channel: string) => void): Promise<void> {
    return this.cluster.subscribe(channels, listener);
  }

  /**
   * This connection, answering every typed command of node-redis (`get`, `eval`, `scan`…) with
   * the cluster's own, whose signatures are those of a client.
   */
  private withCommands(): RedisConnection {
    const cluster = this.cluster;
    return new Proxy(this, {
      get(target, property, receiver) {
        if (property in target) return Reflect.get(target, property, receiver) as unknown;
        const value = Reflect.get(cluster, property) as unknown;
        return typeof value === 'function' ? (value as (...args: unknown[]) => unknown).bind(cluster) : value;
      },
    }) as unknown as RedisConnection;
  }
}

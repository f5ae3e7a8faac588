import { PROCESSES } from '../../../tools/stack/src/processes';
import { Stack } from '../../../tools/stack/src/stack';
import { loadStackConfig } from '../../../tools/stack/src/stack.config';
import { freePort } from '../../../tools/testing/free-port';
import { REPO_ROOT, databaseEnv } from '../../convergence/src/bench-stack';
import { FACADES } from './config';
import { FacadeAdmin } from './facade-admin';

const log = (line: string) => process.stderr.write(`${line}\n`);
/** Lines of the processes' own output kept to explain a failure. */
const TAIL_LINES = 200;
const READY_LINE = /^\[stack\] Press Ctrl-C/;

export interface ReplicaStackSettings {
  readonly dataDir: string;
  readonly redisUrl: string;
  readonly redisPrefix: string;
  readonly adminToken: string;
  readonly jwtSecret: string;
  readonly logLevel: string;
  readonly verbose: boolean;
  /** `STRANGLER_POLL_INTERVAL_MS` of the facades; unset (their default) when undefined. */
  readonly pollIntervalMs: number | undefined;
}

/**
 * The whole stack as `npm start` runs it, with two facades (`STACK_REPLICAS=strangler=2`, one
 * instance of every other process): the launcher's own `Stack` in this process, every instance on
 * a free port (`STRANGLER_PORT` and `STRANGLER_ADMIN_PORT` list one per instance), SQLite files in
 * the data folder, the Redis at `redisUrl` under `redisPrefix`.
 */
export class ReplicaStack {
  private readonly tail: string[] = [];
  private stopping: Promise<void> | undefined;

  private constructor(
    private readonly settings: ReplicaStackSettings,
    private readonly stack: Stack,
    private readonly stopped: Promise<number>,
    /** Each facade's admin API, by instance (the first is `strangler#1`). */
    readonly facades: readonly FacadeAdmin[],
  ) {}

  static async start(settings: ReplicaStackSettings, readyTimeoutMs: number): Promise<ReplicaStack> {
    const ports = async (count: number) => {
      const list: number[] = [];
      for (let n = 0; n < count; n++) list.push(await freePort());
      return list.join(',');
    };
    // The variant decides the poll, not the caller's shell.
    const { STRANGLER_POLL_INTERVAL_MS: _callers, ...inherited } = process.env;
    const env = {
      ...inherited,
      ...databaseEnv(settings.dataDir),
      STACK_REPLICAS: `strangler=${FACADES}`,
      LEGACY_PORT: await ports(1),
      CATALOG_PORT: await ports(1),
      INVENTORY_PORT: await ports(1),
      PAYMENTS_PORT: await ports(1),
      ORDERS_PORT: await ports(1),
      STRANGLER_PORT: await ports(FACADES),
      STRANGLER_ADMIN_PORT: await ports(FACADES),
      REDIS_URL: settings.redisUrl,
      REDIS_PREFIX: settings.redisPrefix,
      STRANGLER_ADMIN_TOKEN: settings.adminToken,
      JWT_SECRET: settings.jwtSecret,
      LOG_LEVEL: settings.logLevel,
      ...(settings.pollIntervalMs === undefined ? {} : { STRANGLER_POLL_INTERVAL_MS: String(settings.pollIntervalMs) }),
    };
    const facades = env.STRANGLER_ADMIN_PORT.split(',').map(
      (port, index) => new FacadeAdmin(`strangler#${index + 1}`, `http://127.0.0.1:${port}`, settings.adminToken),
    );
    let resolveReady!: () => void;
    const ready = new Promise<void>((resolve) => (resolveReady = resolve));
    // Lines printed before the constructor returns wait for it.
    const sink: { self?: ReplicaStack; early: string[] } = { early: [] };
    const write = (text: string) => {
      if (READY_LINE.test(text)) resolveReady();
      if (sink.self) sink.self.record(text);
      else sink.early.push(text);
    };
    const stack = new Stack({
      config: loadStackConfig(env, PROCESSES),
      processes: PROCESSES,
      rootDir: REPO_ROOT,
      output: { out: write, err: write },
    });
    const self = new ReplicaStack(settings, stack, stack.run(), facades);
    sink.self = self;
    for (const line of sink.early) self.record(line);
    let timer: NodeJS.Timeout | undefined;
    const outcome = await Promise.race([
      ready.then(() => 'ready'),
      self.stopped.then((code) => `the stack stopped (exit ${code}) before it was ready`),
      new Promise<string>((resolve) => {
        timer = setTimeout(() => resolve(`the stack was not ready within ${readyTimeoutMs} ms`), readyTimeoutMs);
      }),
    ]);
    clearTimeout(timer);
    if (outcome !== 'ready') {
      await self.stop();
      throw new Error(`${outcome}; the last lines of the processes:\n${self.tail.join('\n')}`);
    }
    return self;
  }

  /** The last lines of the processes' own output. */
  get outputTail(): readonly string[] {
    return this.tail;
  }

  /** Stops everything as Ctrl-C would, and waits until it has. */
  stop(): Promise<void> {
    this.stopping ??= (async () => {
      await Promise.all(this.facades.map((facade) => facade.close().catch(() => undefined)));
      this.stack.stop('the benchmark is done with this stack');
      await this.stopped;
    })();
    return this.stopping;
  }

  private record(text: string): void {
    if (text.startsWith('[stack]')) {
      log(text);
    } else {
      this.tail.push(text);
      if (this.tail.length > TAIL_LINES) this.tail.shift();
      if (this.settings.verbose) log(text);
    }
  }
}

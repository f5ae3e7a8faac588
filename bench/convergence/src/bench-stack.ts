import { execFile } from 'node:child_process';
import { EventEmitter, once } from 'node:events';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import { setTimeout as sleep } from 'node:timers/promises';
import { promisify } from 'node:util';
import { createClient } from 'redis';
import { PROCESSES } from '../../../tools/stack/src/processes';
import { findRepositoryRoot } from '../../../tools/stack/src/repository-root';
import { Stack } from '../../../tools/stack/src/stack';
import { loadStackConfig } from '../../../tools/stack/src/stack.config';
import { freePort } from '../../../tools/testing/free-port';

const run = promisify(execFile);
const log = (line: string) => process.stderr.write(`${line}\n`);

/** The repository root (this file is `dist/bench/convergence/src/bench-stack.js`). */
export const REPO_ROOT = findRepositoryRoot(__dirname);
const STRANGLER_CLI = join(REPO_ROOT, 'dist/strangler/src/cli/main.js');
/** The rules of migration stage 3: product reads and creation on catalog, stock on inventory, deposits on payments. */
export const STAGE_3_RULES = 'strangler/rules/03-catalog-inventory-payments.yaml';
/** Lines of the processes' own output kept to explain a failure. */
const TAIL_LINES = 200;

/** The processes of the stack that keep data, each in a SQLite file of its own in the data folder. */
export const DATABASES = ['legacy-monolith', 'catalog', 'inventory', 'payments', 'orders'] as const;

type PortName = 'legacy' | 'catalog' | 'inventory' | 'payments' | 'orders' | 'facade' | 'admin';

export interface BenchStackOptions {
  /** How many facade instances run (`STACK_REPLICAS=strangler=<n>`); default 1. */
  readonly facades?: number;
  /** Added to the launcher's environment last; `undefined` removes a variable. */
  readonly env?: Readonly<Record<string, string | undefined>>;
}

/** A line the stack printed, and when (`performance.now()`). */
export interface StackLine {
  readonly at: number;
  readonly text: string;
}

/** What stays the same across the run's stacks: the data folder, Redis, keys and secrets. */
export interface StackSettings {
  readonly dataDir: string;
  readonly redisUrl: string;
  readonly redisPrefix: string;
  readonly adminToken: string;
  readonly jwtSecret: string;
  readonly logLevel: string;
  readonly verbose: boolean;
}

/** The environment that points a process at the stack's databases, as the launcher gives them. */
export function databaseEnv(dataDir: string): Record<string, string> {
  return {
    STACK_DATA_DIR: dataDir,
    // A DATABASE_URL of the caller must reach no process: each has its own.
    DATABASE_URL: `sqlite:${join(dataDir, 'not-to-be-used.sqlite')}`,
    LEGACY_DATABASE_URL: `sqlite:${join(dataDir, 'legacy-monolith.sqlite')}`,
    CATALOG_DATABASE_URL: `sqlite:${join(dataDir, 'catalog.sqlite')}`,
    INVENTORY_DATABASE_URL: `sqlite:${join(dataDir, 'inventory.sqlite')}`,
    PAYMENTS_DATABASE_URL: `sqlite:${join(dataDir, 'payments.sqlite')}`,
    ORDERS_DATABASE_URL: `sqlite:${join(dataDir, 'orders.sqlite')}`,
  };
}

/**
 * The whole stack as `npm start` runs it, in this process: the launcher's own `Stack` with its
 * process table, on free ports, SQLite files in the run's data folder, and a Redis the launcher
 * starts itself (nothing listens at `redisUrl`) with its append-only file in the data folder.
 * Every line it prints is kept with the moment it was printed.
 */
export class BenchStack {
  private readonly stackLines: StackLine[] = [];
  private readonly tail: string[] = [];
  /** Emits `change` at each line and when the stack has stopped. */
  private readonly changes = new EventEmitter();
  private exitCode: number | undefined;

  private constructor(
    private readonly settings: StackSettings,
    /** The port of each instance, by name (several facades with `options.facades`). */
    private readonly ports: Readonly<Record<PortName, readonly number[]>>,
    private readonly stack: Stack,
    private readonly stopped: Promise<number>,
  ) {
    void stopped.then((code) => {
      this.exitCode = code;
      this.changes.emit('change');
    });
  }

  /**
   * `options.facades` runs that many facade instances (`STACK_REPLICAS=strangler=<n>`, each on
   * ports of its own); `options.env` is added to the launcher's environment last, an `undefined`
   * value removing the variable (so that the caller's shell cannot set it).
   */
  static async start(
    settings: StackSettings,
    readyTimeoutMs: number,
    options: BenchStackOptions = {},
  ): Promise<BenchStack> {
    const facades = options.facades ?? 1;
    const free = async (count: number) => {
      const list: number[] = [];
      for (let n = 0; n < count; n++) list.push(await freePort());
      return list;
    };
    const ports: Record<PortName, readonly number[]> = {
      legacy: await free(1),
      catalog: await free(1),
      inventory: await free(1),
      payments: await free(1),
      orders: await free(1),
      facade: await free(facades),
      admin: await free(facades),
    };
    const env: Record<string, string | undefined> = {
      ...process.env,
      ...databaseEnv(settings.dataDir),
      ...(facades > 1 ? { STACK_REPLICAS: `strangler=${facades}` } : {}),
      LEGACY_PORT: ports.legacy.join(','),
      CATALOG_PORT: ports.catalog.join(','),
      INVENTORY_PORT: ports.inventory.join(','),
      PAYMENTS_PORT: ports.payments.join(','),
      ORDERS_PORT: ports.orders.join(','),
      STRANGLER_PORT: ports.facade.join(','),
      STRANGLER_ADMIN_PORT: ports.admin.join(','),
      REDIS_URL: settings.redisUrl,
      REDIS_PREFIX: settings.redisPrefix,
      STRANGLER_ADMIN_TOKEN: settings.adminToken,
      JWT_SECRET: settings.jwtSecret,
      LOG_LEVEL: settings.logLevel,
      // Logging customers in again each round is cheap (only the password hashes' cost).
      PASSWORD_SCRYPT_COST: process.env.PASSWORD_SCRYPT_COST ?? '10',
    };
    for (const [name, value] of Object.entries(options.env ?? {})) {
      if (value === undefined) delete env[name];
      else env[name] = value;
    }
    // Lines printed before the constructor returns wait for it.
    const sink: { stack?: BenchStack; pending: StackLine[] } = { pending: [] };
    const write = (text: string) => {
      const line = { at: performance.now(), text };
      if (sink.stack) sink.stack.record(line);
      else sink.pending.push(line);
    };
    const stack = new Stack({
      config: loadStackConfig(env, PROCESSES),
      processes: PROCESSES,
      rootDir: REPO_ROOT,
      output: { out: write, err: write },
    });
    const self = new BenchStack(settings, ports, stack, stack.run());
    for (const line of sink.pending) self.record(line);
    sink.stack = self;
    try {
      await self.waitForLine(/^\[stack\] Press Ctrl-C/, 0, readyTimeoutMs);
    } catch (error) {
      await self.stop();
      throw error;
    }
    return self;
  }

  get facadeUrl(): string {
    return this.url('facade');
  }

  /** A process of the stack: its first instance, or instance `instance` (1-based). */
  url(name: PortName, instance = 1): string {
    const port = this.ports[name][instance - 1];
    if (port === undefined) throw new Error(`The stack runs no instance ${instance} of ${name}`);
    return `http://127.0.0.1:${port}`;
  }

  /** How many instances of `name` run. */
  instances(name: PortName): number {
    return this.ports[name].length;
  }

  /** The launcher's own lines (`[stack] …`) so far. */
  get lines(): readonly StackLine[] {
    return this.stackLines;
  }

  /** The last lines of the processes' own output. */
  get outputTail(): readonly string[] {
    return this.tail;
  }

  /** The pid the launcher last started `name` with (`redis` for its redis-server). */
  pidOf(name: string): number {
    const pattern =
      name === 'redis'
        ? /started redis-server \(pid (\d+)\)/
        : new RegExp(`^\\[stack\\] Started ${name} \\(pid (\\d+)\\)`);
    for (let i = this.stackLines.length - 1; i >= 0; i--) {
      const match = pattern.exec(this.stackLines[i]!.text);
      if (match) return Number(match[1]);
    }
    throw new Error(`The stack never said it started ${name}`);
  }

  /**
   * The first launcher line at or after index `from` that matches `pattern` (its time is when it
   * was printed, not when this resolves); rejects when the stack stops first or time runs out.
   */
  async waitForLine(pattern: RegExp, from: number, timeoutMs: number): Promise<StackLine> {
    const signal = AbortSignal.timeout(timeoutMs);
    for (let next = from; ;) {
      const line = this.stackLines.slice(next).find((candidate) => pattern.test(candidate.text));
      if (line) return line;
      next = this.stackLines.length;
      if (this.exitCode !== undefined) {
        throw this.failure(`the stack stopped (exit ${this.exitCode}) before printing ${pattern}`);
      }
      try {
        await once(this.changes, 'change', { signal });
      } catch {
        throw this.failure(`the stack printed no ${pattern} within ${timeoutMs} ms`);
      }
    }
  }

  /** Stops everything as Ctrl-C would, and waits until it has (at once when it has stopped already). */
  async stop(reason = 'the benchmark round is over'): Promise<void> {
    this.stack.stop(reason);
    await this.stopped;
  }

  /** `strangler rules apply <file>` against the admin API, as an operator would; waits until the facade routes with it. */
  async applyRules(file: string, reason: string): Promise<number> {
    const env = {
      ...process.env,
      STRANGLER_ADMIN_URL: this.url('admin'),
      STRANGLER_ADMIN_TOKEN: this.settings.adminToken,
      STRANGLER_AUTHOR: 'convergence benchmark',
    };
    const expected = await this.routingVersion();
    const args = [STRANGLER_CLI, 'rules', 'apply', file, '--expect', String(expected), '--reason', reason, '--json'];
    const { stdout } = await run(process.execPath, args, { cwd: REPO_ROOT, env });
    const version = (JSON.parse(stdout) as { version: { version: number } }).version.version;
    const deadline = Date.now() + 10_000;
    while ((await this.routingVersion()) !== version) {
      if (Date.now() > deadline) throw new Error(`The facade did not route with rules version ${version} within 10 s`);
      await sleep(50);
    }
    return version;
  }

  /** The version of the rules the facade routes with. */
  async routingVersion(): Promise<number> {
    const response = await fetch(`${this.url('admin')}/admin/status`, {
      headers: { authorization: `Bearer ${this.settings.adminToken}` },
    });
    return ((await response.json()) as { activeVersion: number }).activeVersion;
  }

  /** Messages in the dead-letter streams of the stack's services. */
  async deadLetters(): Promise<number> {
    const client = createClient({ url: this.settings.redisUrl });
    client.on('error', () => undefined);
    await client.connect();
    try {
      let total = 0;
      for (const name of DATABASES) total += await client.xLen(`${this.settings.redisPrefix}dlq:${name}`);
      return total;
    } finally {
      client.destroy();
    }
  }

  private record(line: StackLine): void {
    if (line.text.startsWith('[stack]')) {
      this.stackLines.push(line);
      log(line.text);
    } else {
      this.tail.push(line.text);
      if (this.tail.length > TAIL_LINES) this.tail.shift();
      if (this.settings.verbose) log(line.text);
    }
    this.changes.emit('change');
  }

  private failure(message: string): Error {
    return new Error(`${message}; the last lines of the processes:\n${this.tail.join('\n')}`);
  }
}

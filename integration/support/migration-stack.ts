import { execFile } from 'node:child_process';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { promisify } from 'node:util';
import { CompiledRuleSet, loadRulesFile } from '../../strangler/src/rules';
import { LauncherRun, REPO_ROOT, freePort } from '../../tools/stack/test/support/launcher';
import { uniqueTestPrefix } from '../../tools/testing/test-redis';
import { eventually } from '../../tools/testing/test-streams';
import { CompiledProcess } from '../../tools/testing/compiled-process';

const run = promisify(execFile);
const SYNC_VERIFY = join(REPO_ROOT, 'dist/tools/sync/src/main.js');

export const STACK_JWT_SECRET = 'migration-stages-secret-0123456789abcdef';
const ADMIN_TOKEN = 'migration-stages-admin-token-0123456789';
const CLI = join(REPO_ROOT, 'dist/strangler/src/cli/main.js');
const READY_WITHIN_MS = 90_000;

/** The rules file of a migration stage (`strangler/rules/`). */
export const STAGE_FILES = {
  1: 'strangler/rules/01-everything-on-legacy.yaml',
  2: 'strangler/rules/02-catalog-reads.yaml',
  3: 'strangler/rules/03-catalog-inventory-payments.yaml',
  4: 'strangler/rules/04-orders.yaml',
} as const;
export type Stage = keyof typeof STAGE_FILES;

/** The rules of a stage file, compiled: where the facade sends each request at that stage. */
export async function stageRules(stage: Stage): Promise<CompiledRuleSet> {
  const check = await loadRulesFile(join(REPO_ROOT, STAGE_FILES[stage]));
  if (!check.ok) throw new Error(check.errors.join('\n'));
  return new CompiledRuleSet(stage, check.ruleSet);
}

/** The processes of the stack that keep data, each in a database of its own. */
export const STACK_DATABASES = ['legacy-monolith', 'catalog', 'inventory', 'payments', 'orders'] as const;
/** Every process of the stack, by the launcher's names. */
const STACK_PROCESSES = [...STACK_DATABASES, 'strangler'] as const;
export type StackDatabaseUrls = Readonly<Record<(typeof STACK_DATABASES)[number], string>>;

/** What `sync:verify --json` prints on its last line. */
export interface SyncReport {
  readonly equal?: boolean;
  /** Per kind (`wallets`, `stock`, `products`): how many aggregates were compared. */
  readonly kinds?: Readonly<Record<string, { readonly compared: number }>>;
  readonly differences: readonly unknown[];
}

/** The launcher's variables that say where each process keeps its data (sync:verify reads the same ones). */
function databaseEnv(dataDir: string, databases: StackDatabaseUrls): Record<string, string> {
  return {
    // The launcher's state file goes there, never into the repository's data/.
    STACK_DATA_DIR: dataDir,
    // A DATABASE_URL of the test run must reach no process: each has its own.
    DATABASE_URL: `sqlite:${join(dataDir, 'not-to-be-used.sqlite')}`,
    LEGACY_DATABASE_URL: databases['legacy-monolith'],
    CATALOG_DATABASE_URL: databases.catalog,
    INVENTORY_DATABASE_URL: databases.inventory,
    PAYMENTS_DATABASE_URL: databases.payments,
    ORDERS_DATABASE_URL: databases.orders,
  };
}

type PortName = 'legacy' | 'catalog' | 'inventory' | 'payments' | 'orders' | 'facade' | 'admin';

/** The launcher's port variable of each port. */
const PORT_VARIABLES: Readonly<Record<PortName, string>> = {
  legacy: 'LEGACY_PORT',
  catalog: 'CATALOG_PORT',
  inventory: 'INVENTORY_PORT',
  payments: 'PAYMENTS_PORT',
  orders: 'ORDERS_PORT',
  facade: 'STRANGLER_PORT',
  admin: 'STRANGLER_ADMIN_PORT',
};

export interface MigrationStackOptions {
  /** How many instances of every process the launcher runs (`STACK_REPLICAS`); default 1. */
  readonly replicas?: number;
}

/**
 * The whole stack as `npm start` runs it (compiled): the monolith, catalog, inventory, payments, orders
 * and the facade, on free ports, each process on the database `databases` gives it, a Redis prefix
 * of its own, a known admin token, and `dataDir` (a temporary folder) for the launcher's state.
 * Rules change through the `strangler` CLI, as an operator would.
 */
export class MigrationStack {
  private constructor(
    private readonly launcher: LauncherRun,
    readonly redisPrefix: string,
    /** The port of each instance, by name: `ports.payments[1]` is the second payments'. */
    private readonly ports: Readonly<Record<PortName, readonly number[]>>,
    private readonly databaseEnv: Readonly<Record<string, string>>,
    /** The stack's `REDIS_URL` when the test gave one (otherwise the launcher's default, as for the tests). */
    private readonly redisUrl: string | undefined,
    private readonly dataDir: string,
  ) {}

  /** `env` is added to the launcher's environment last (a Redis of the test's own, shorter timings). */
  static async start(
    dataDir: string,
    databases: StackDatabaseUrls,
    env: Readonly<Record<string, string>> = {},
    options: MigrationStackOptions = {},
  ): Promise<MigrationStack> {
    const replicas = options.replicas ?? 1;
    const ports = {} as Record<PortName, number[]>;
    for (const name of Object.keys(PORT_VARIABLES) as PortName[]) {
      ports[name] = [];
      for (let instance = 0; instance < replicas; instance++) ports[name].push(await freePort());
    }
    const redisPrefix = uniqueTestPrefix('stages');
    const launcher = await LauncherRun.start({
      ...Object.fromEntries(
        (Object.entries(PORT_VARIABLES) as [PortName, string][]).map(([name, variable]) => [
          variable,
          ports[name].join(','),
        ]),
      ),
      ...(replicas > 1 ? { STACK_REPLICAS: STACK_PROCESSES.map((name) => `${name}=${replicas}`).join(',') } : {}),
      REDIS_PREFIX: redisPrefix,
      ...databaseEnv(dataDir, databases),
      STRANGLER_ADMIN_TOKEN: ADMIN_TOKEN,
      JWT_SECRET: STACK_JWT_SECRET,
      LOG_LEVEL: process.env.STAGES_LOG_LEVEL ?? 'error',
      ...env,
    });
    const stack = new MigrationStack(
      launcher,
      redisPrefix,
      ports,
      databaseEnv(dataDir, databases),
      env.REDIS_URL,
      dataDir,
    );
    await launcher.waitForOutput(/\[stack\] Press Ctrl-C/, READY_WITHIN_MS);
    return stack;
  }

  /** How many instances of each process run. */
  get replicas(): number {
    return this.ports.facade.length;
  }

  /** The public entry: the facade's data plane. */
  get facadeUrl(): string {
    return this.url('facade');
  }

  /** A process of the stack, directly: its first instance, or instance `instance` (1-based). */
  url(name: PortName, instance = 1): string {
    const port = this.ports[name][instance - 1];
    if (port === undefined) throw new Error(`The stack runs ${this.replicas} instance(s) of ${name}, not ${instance}`);
    return `http://127.0.0.1:${port}`;
  }

  /**
   * Another instance of the facade in front of this stack's processes, on ports of its own,
   * sharing the stack's Redis and prefix (its rules, the writes' positions, the idempotency pins)
   * as a second replica would, with its own copy of the rules' history in the data folder. The
   * caller stops it.
   */
  async startFacade(): Promise<{ readonly url: string; stop(): Promise<void> }> {
    const [port, adminPort] = [await freePort(), await freePort()];
    const facade = await CompiledProcess.start({
      name: 'another facade',
      entry: 'dist/strangler/src/main.js',
      env: {
        STRANGLER_PORT: String(port),
        STRANGLER_HOST: '127.0.0.1',
        PORT: String(adminPort),
        REDIS_PREFIX: this.redisPrefix,
        ...(this.redisUrl ? { REDIS_URL: this.redisUrl } : {}),
        JWT_SECRET: STACK_JWT_SECRET,
        STRANGLER_ADMIN_TOKEN: ADMIN_TOKEN,
        STRANGLER_HISTORY_DIR: join(this.dataDir, `strangler-${adminPort}`),
        STRANGLER_UPSTREAM_LEGACY_URL: this.url('legacy'),
        STRANGLER_UPSTREAM_CATALOG_URL: this.url('catalog'),
        STRANGLER_UPSTREAM_INVENTORY_URL: this.url('inventory'),
        STRANGLER_UPSTREAM_PAYMENTS_URL: this.url('payments'),
        STRANGLER_UPSTREAM_ORDERS_URL: this.url('orders'),
      },
      readyUrl: `http://127.0.0.1:${adminPort}/health/live`,
    });
    return { url: `http://127.0.0.1:${port}`, stop: () => facade.stop() };
  }

  /** Resolves with the first match of `pattern` in what the launcher printed. */
  waitForOutput(pattern: RegExp, timeoutMs = READY_WITHIN_MS): Promise<RegExpMatchArray> {
    return this.launcher.waitForOutput(pattern, timeoutMs);
  }

  /** Everything the launcher and its processes printed. */
  get output(): string {
    return this.launcher.output;
  }

  /** How many times `pattern` has been printed by the launcher so far. */
  printed(pattern: RegExp): number {
    return this.output.match(new RegExp(pattern.source, 'g'))?.length ?? 0;
  }

  /** Resolves once `pattern` has been printed `times` times in all. */
  async waitPrinted(pattern: RegExp, times: number, timeoutMs = READY_WITHIN_MS): Promise<void> {
    await eventually(
      async () => this.printed(pattern),
      (count) => count >= times,
      timeoutMs,
    );
  }

  /** The pid the launcher last started `name` with (`Started payments (pid 123)`). */
  pidOf(name: string): number {
    const matches = [...this.output.matchAll(new RegExp(`Started ${name} \\(pid (\\d+)\\)`, 'g'))];
    const pid = matches.at(-1)?.[1];
    if (pid === undefined) throw new Error(`The launcher has not started ${name}`);
    return Number(pid);
  }

  /**
   * `npm run sync:verify -- --wait <waitSeconds> --json` against this stack's databases: its exit
   * status (0 when every side is equal), the report of its last line, and all it printed.
   */
  async syncVerify(waitSeconds: number): Promise<{ status: number; report: SyncReport; output: string }> {
    const env = { ...process.env, ...this.databaseEnv };
    const args = [SYNC_VERIFY, '--wait', String(waitSeconds), '--json'];
    const lastLine = (stdout = '') => stdout.trim().split('\n').at(-1) ?? '';
    try {
      const { stdout, stderr } = await run(process.execPath, args, { cwd: REPO_ROOT, env });
      return { status: 0, report: JSON.parse(lastLine(stdout)) as SyncReport, output: `${stdout}\n${stderr}` };
    } catch (error) {
      const failed = error as { code?: number; stdout?: string; stderr?: string };
      const last = lastLine(failed.stdout);
      return {
        status: typeof failed.code === 'number' ? failed.code : -1,
        report: last.startsWith('{') ? (JSON.parse(last) as SyncReport) : { differences: [] },
        output: `${failed.stdout}\n${failed.stderr}`,
      };
    }
  }

  /** `npm run -s strangler -- <args>` against this stack's admin API; resolves with its JSON answer. */
  async strangler<Answer = { version: { version: number }; changed: boolean }>(...args: string[]): Promise<Answer> {
    const env = {
      ...process.env,
      STRANGLER_ADMIN_URL: this.url('admin'),
      STRANGLER_ADMIN_TOKEN: ADMIN_TOKEN,
      STRANGLER_AUTHOR: 'migration-stages test',
    };
    try {
      const { stdout } = await run(process.execPath, [CLI, ...args, '--json'], { cwd: REPO_ROOT, env });
      return JSON.parse(stdout) as Answer;
    } catch (error) {
      const failed = error as { stdout?: string; stderr?: string; message: string };
      throw new Error(`strangler ${args.join(' ')} failed: ${failed.message}\n${failed.stdout}\n${failed.stderr}`, {
        cause: error,
      });
    }
  }

  /** A request to the admin API of a facade instance, as the operator `admin`: its status and JSON body. */
  async admin<Body = unknown>(
    instance: number,
    method: string,
    path: string,
    body?: unknown,
  ): Promise<{ status: number; body: Body }> {
    const response = await fetch(`${this.url('admin', instance)}${path}`, {
      method,
      headers: { authorization: `Bearer ${ADMIN_TOKEN}`, 'content-type': 'application/json' },
      body: body === undefined ? undefined : JSON.stringify(body),
    });
    return { status: response.status, body: (await response.json()) as Body };
  }

  /** The version of the rules the facade (its first instance, or instance `instance`) routes with now. */
  async routingVersion(instance = 1): Promise<number> {
    return (await this.admin<{ activeVersion: number }>(instance, 'GET', '/admin/status')).body.activeVersion;
  }

  /** Applies a stage's rules file (expecting `expectVersion`) and waits until the facade routes with it. */
  async applyStage(stage: Stage, expectVersion: number): Promise<number> {
    const file = STAGE_FILES[stage];
    const answer = await this.strangler(
      'rules',
      'apply',
      file,
      '--expect',
      String(expectVersion),
      '--reason',
      `stage ${stage}`,
    );
    await this.waitForVersion(answer.version.version);
    return answer.version.version;
  }

  /**
   * `strangler group set <group> <options…>` (expecting `expectVersion`, with `reason`), then waits
   * until the facade routes with the new version; resolves with it.
   */
  async setGroup(group: string, expectVersion: number, reason: string, ...options: string[]): Promise<number> {
    const answer = await this.strangler(
      'group',
      'set',
      group,
      ...options,
      '--expect',
      String(expectVersion),
      '--reason',
      reason,
    );
    await this.waitForVersion(answer.version.version);
    return answer.version.version;
  }

  async waitForVersion(version: number, timeoutMs = 10_000): Promise<void> {
    const deadline = Date.now() + timeoutMs;
    while ((await this.routingVersion()) !== version) {
      if (Date.now() > deadline)
        throw new Error(`The facade did not route with version ${version} within ${timeoutMs} ms`);
      await sleep(50);
    }
  }

  /** Stops the stack as Ctrl-C would, then makes sure nothing is left (processes, Redis keys). */
  async stop(): Promise<void> {
    this.launcher.signal('SIGINT');
    try {
      await this.launcher.waitForExit(30_000);
    } finally {
      await LauncherRun.killAll();
    }
  }
}

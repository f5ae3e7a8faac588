import { existsSync } from 'node:fs';
import { join, relative, resolve } from 'node:path';
import { runOneShotStep } from './one-shot-step';
import { DEFAULT_PORT_ROLE, ProcessSpec, StackContext } from './processes';
import { StackOutput, stackLog } from './output';
import { describeProbe, isListening, waitUntilReady } from './readiness';
import { RedisHandle, ensureRedis, redisDataDir } from './redis-check';
import { instanceLabel } from './replicas';
import { StackConfig, portOf, portsOf, replicasOf } from './stack.config';
import { StackError } from './stack-errors';
import { claimDataDir } from './stack-lock';
import { StackState, readStackState, resolveStackState, writeStackState } from './stack-state';
import { SupervisedChild, describeExit } from './supervised-child';
import { formatSummary } from './summary';

/** The first delay before a process that died is started again; it doubles with each restart. */
const RESTART_BASE_DELAY_MS = 500;
const RESTART_MAX_DELAY_MS = 15_000;

export interface StackOptions {
  readonly config: StackConfig;
  readonly processes: readonly ProcessSpec[];
  /** The repository root: entries are relative to it and children run in it. */
  readonly rootDir: string;
  readonly output: StackOutput;
}

/**
 * Runs the processes of the table as one stack: checks ports and Redis, starts every process in
 * table order (a row's one-shot `afterReady` step runs, once it and the rows before it are ready,
 * before the later rows start), waits until each is ready, prints where each listens, starts
 * again a process that dies after it was ready (up to `STACK_MAX_RESTARTS` times), and stops
 * everything when asked to, when a process dies before it was ready or too often, or when a step
 * fails.
 */
export class Stack {
  private readonly children: SupervisedChild[] = [];
  private readonly aborted = new AbortController();
  private redis: RedisHandle | undefined;
  private state: StackState | undefined;
  private dataDirClaim: { release(): void } | undefined;
  private starting: Promise<void> | undefined;
  private stopping: Promise<void> | undefined;
  private exitCode = 0;
  /** How many times each process was started again after it died. */
  private readonly restarts = new Map<string, number>();
  private resolveStopped!: (code: number) => void;
  private readonly stopped = new Promise<number>((resolve) => (this.resolveStopped = resolve));

  constructor(private readonly options: StackOptions) {}

  /** Starts the stack; resolves with the exit code once everything has stopped. */
  run(): Promise<number> {
    const startedAt = Date.now();
    this.starting = this.start().then(
      () => {
        if (this.stopping) return;
        const seconds = ((Date.now() - startedAt) / 1000).toFixed(1);
        const { processes, config, output } = this.options;
        stackLog(output, `Everything is ready in ${seconds} s:`);
        for (const line of formatSummary(processes, config, this.redis, this.state)) output.out(line);
        stackLog(output, 'Press Ctrl-C to stop everything.');
      },
      (error: unknown) => {
        if (this.stopping) return; // a stop during start-up interrupts it; that is no failure
        this.fail(error instanceof StackError ? error.message : String(error));
      },
    );
    return this.stopped;
  }

  /** Stops everything; the stack's exit code stays 0 unless it failed before. */
  stop(reason: string): void {
    if (this.stopping) return;
    stackLog(this.options.output, `${reason}: stopping everything.`);
    this.beginStopping();
  }

  private fail(message: string): void {
    if (this.stopping) return;
    this.exitCode = 1;
    stackLog(this.options.output, message);
    stackLog(this.options.output, 'Stopping everything.');
    this.beginStopping();
  }

  private beginStopping(): void {
    this.aborted.abort(new Error('the stack is stopping'));
    this.stopping = (async () => {
      // Start-up steps all honour the abort, so this is quick; afterwards no new process appears.
      await this.starting;
      const { stopTimeoutMs } = this.options.config;
      const output = this.options.output;
      await Promise.all(
        this.children.map(async (child) => {
          const exit = await child.stop(stopTimeoutMs);
          if (exit.killed) stackLog(output, `${child.name} did not stop within ${stopTimeoutMs} ms; killed it.`);
        }),
      );
      if (this.redis?.server) {
        await this.redis.stop();
        stackLog(output, 'Stopped the redis-server the stack had started.');
      }
      this.dataDirClaim?.release();
      stackLog(output, 'Everything stopped.');
    })();
    void this.stopping.then(() => this.resolveStopped(this.exitCode));
  }

  private async start(): Promise<void> {
    const { processes, config, rootDir, output } = this.options;
    const signal = this.aborted.signal;
    const dataDir = resolve(rootDir, config.dataDir);
    this.dataDirClaim = claimDataDir(dataDir);
    await this.checkBeforeStart();
    const state = resolveStackState(config, readStackState(dataDir));
    this.state = state;

    if (processes.some((spec) => spec.needsRedis)) {
      const startRedis = async (): Promise<void> => {
        this.redis = await ensureRedis({
          url: config.redisUrl,
          searchPath: config.searchPath,
          dataDir,
          output,
          signal,
        });
        const server = this.redis.server;
        if (!server) return;
        stackLog(
          output,
          `No Redis answered at ${config.redisUrl}; started redis-server (pid ${server.pid}), ` +
            `keeping an append-only file in ${relative(rootDir, redisDataDir(dataDir)) || '.'}.`,
        );
        this.watch(server, () => true, startRedis);
      };
      await startRedis();
    }

    const names = processes.flatMap((spec) => [
      // The widest label of a row is its last instance's.
      instanceLabel(spec.name, replicasOf(config, spec.name), replicasOf(config, spec.name)),
      ...(spec.afterReady ? [spec.afterReady.name] : []),
    ]);
    const prefixWidth = Math.max(...names.map((name) => name.length)) + 2;
    const context = (instance: number): StackContext => ({
      portOf: (name: string, role?: string) => portOf(config, name, role),
      portsOf: (name: string, role?: string) => portsOf(config, name, role),
      instance,
      redisUrl: config.redisUrl,
      adminToken: state.adminToken,
      dataDir,
    });
    const shared = Object.assign({}, ...processes.map((spec) => spec.sharedEnv?.(context(1)) ?? {}));
    writeStackState(dataDir, state, shared);
    const ready = new Set<string>();
    let waiting: Promise<void>[] = [];
    for (const spec of processes) {
      signal.throwIfAborted();
      const count = replicasOf(config, spec.name);
      const startInstance = (instance: number): Promise<void> => {
        const name = instanceLabel(spec.name, instance, count);
        const env = this.childEnv(spec, context(instance), state);
        const startChild = async (again: boolean): Promise<void> => {
          const child = SupervisedChild.start({
            name,
            command: process.execPath,
            args: [join(rootDir, spec.entry)],
            cwd: rootDir,
            env,
            ipc: true,
            output,
            prefixWidth,
          });
          this.children.push(child);
          this.watch(
            child,
            () => ready.has(name),
            () => startChild(true),
          );
          stackLog(output, `Started ${name} (pid ${child.pid})${again ? ' again' : ''}.`);
          if (!again) return;
          await this.waitUntilReady(spec, instance);
          stackLog(output, `${name} is ready again.`);
        };
        return startChild(false).then(() => this.waitUntilReady(spec, instance).then(() => void ready.add(name)));
      };
      // The first instance alone, until it is ready: it runs the migrations of a database the others
      // then share. The others start together.
      let readiness = startInstance(1);
      if (count > 1) {
        readiness = readiness.then(async () => {
          signal.throwIfAborted();
          await Promise.all(Array.from({ length: count - 1 }, (_, index) => startInstance(index + 2)));
        });
      }
      // Awaited below (Promise.all); until then a failure must not count as an unhandled rejection.
      readiness.catch(() => undefined);
      waiting.push(readiness);
      if (spec.afterReady) {
        await Promise.all(waiting);
        waiting = [];
        await runOneShotStep({
          spec,
          step: spec.afterReady,
          env: this.childEnv(spec, context(1), state),
          rootDir,
          output,
          prefixWidth,
          stopTimeoutMs: config.stopTimeoutMs,
          signal,
          started: (step) => this.children.push(step),
        });
      }
    }
    await Promise.all(waiting);
  }

  /** The child's environment: the launcher's, the stack's key prefix, the row's, its own database and its ports. */
  private childEnv(spec: ProcessSpec, context: StackContext, state: StackState): Record<string, string | undefined> {
    const { config } = this.options;
    const portEnv = Object.fromEntries(
      spec.ports.map((port) => [port.childVariable, String(portOf(config, spec.name, port.role, context.instance))]),
    );
    const database = config.databaseUrls[spec.name];
    return {
      ...config.childEnv,
      REDIS_PREFIX: state.redisPrefix,
      ...spec.env?.(context),
      ...(database === undefined ? {} : { DATABASE_URL: database }),
      ...portEnv,
    };
  }

  private async waitUntilReady(spec: ProcessSpec, instance: number): Promise<void> {
    const { config } = this.options;
    const port = portOf(config, spec.name, spec.readiness.port ?? DEFAULT_PORT_ROLE, instance);
    const url = `http://127.0.0.1:${port}${spec.readiness.path}`;
    const readiness = await waitUntilReady(url, { timeoutMs: config.readyTimeoutMs, signal: this.aborted.signal });
    if (!readiness.ready) {
      throw new StackError(
        'STACK_NOT_READY',
        `${instanceLabel(spec.name, instance, replicasOf(config, spec.name))} was not ready within ${config.readyTimeoutMs} ms: GET ${url} did not answer 200 ` +
          `(${describeProbe(readiness.last)}). Its output above may say why; STACK_READY_TIMEOUT_MS sets the wait.`,
      );
    }
  }

  /**
   * When `child` exits while the stack is not stopping: fails the stack if it was not ready yet,
   * or if it was started again `maxRestarts` times already; otherwise starts it again after a
   * delay that doubles with each restart (0.5 s, 1 s, … up to 15 s).
   */
  private watch(child: SupervisedChild, wasReady: () => boolean, restart: () => Promise<void>): void {
    void child.exited.then((exit) => {
      if (this.stopping) return;
      const index = this.children.indexOf(child);
      if (index >= 0) this.children.splice(index, 1);
      const { maxRestarts } = this.options.config;
      if (!wasReady()) {
        this.fail(`${child.name} exited before it was ready (${describeExit(exit)}); its output above may say why.`);
        return;
      }
      const count = (this.restarts.get(child.name) ?? 0) + 1;
      if (count > maxRestarts) {
        this.fail(
          `${child.name} exited unexpectedly (${describeExit(exit)}) and was started again ${maxRestarts} times ` +
            `already (STACK_MAX_RESTARTS); its output above may say why.`,
        );
        return;
      }
      this.restarts.set(child.name, count);
      const delayMs = Math.min(RESTART_BASE_DELAY_MS * 2 ** (count - 1), RESTART_MAX_DELAY_MS);
      stackLog(
        this.options.output,
        `${child.name} exited unexpectedly (${describeExit(exit)}); starting it again in ${delayMs} ms ` +
          `(restart ${count} of ${maxRestarts}).`,
      );
      const timer = setTimeout(() => {
        if (this.stopping) return;
        restart().catch((error: unknown) =>
          this.fail(
            error instanceof StackError ? error.message : `${child.name} did not start again: ${String(error)}`,
          ),
        );
      }, delayMs);
      void this.stopped.then(() => clearTimeout(timer));
    });
  }

  /** Every entry is built and every port is free, so a failure is explained before anything starts. */
  private async checkBeforeStart(): Promise<void> {
    const { processes, config, rootDir } = this.options;
    const entries = processes.flatMap((spec) => (spec.afterReady ? [spec.entry, spec.afterReady.entry] : [spec.entry]));
    const missing = entries.filter((entry) => !existsSync(join(rootDir, entry)));
    if (missing.length > 0) {
      throw new StackError(
        'STACK_BUILD_MISSING',
        `Not built: ${missing.join(', ')}. Run npm run build (npm start does it).`,
      );
    }
    for (const spec of processes) {
      for (const port of spec.ports) {
        const values = portsOf(config, spec.name, port.role);
        for (const [index, value] of values.entries()) {
          if (!(await isListening('127.0.0.1', value))) continue;
          const who = instanceLabel(spec.name, index + 1, values.length);
          throw new StackError(
            'STACK_PORT_IN_USE',
            `Port ${value} for ${who} is already in use (is a stack already running?). ` +
              `Stop what listens there, or set ${port.variable} to a free port` +
              `${values.length > 1 ? ' (or one per instance, separated by commas)' : ''}.`,
          );
        }
      }
    }
  }
}

import { hostname } from 'node:os';
import { Logger, type LoggerService } from '@nestjs/common';
import { type RedisConnection, connectOrFail } from '@app/redis-streams';
import { ActiveRules, type CompiledRuleSet, checkRuleSet, loadRulesFile } from '../rules';
import type { HistoryCopy } from './history-copy';
import { type HistoryCopyStatus, HistoryKeeper, type KeptHistory } from './history-keeper';
import type { RuleCompiler } from './rule-compiler';
import type { RuleStore } from './rule-store';
import { HistoryCopyError } from './rule-store.errors';
import type { RuleVersion } from './rule-version';

export const DEFAULT_CHECK_TIMEOUT_MS = 2_000;
/** How long keeping the history copy in step may take in a check (a restore writes the whole history). */
export const HISTORY_STEP_TIMEOUT_MS = 10_000;

export interface RuleSyncOptions {
  readonly store: RuleStore;
  readonly compile: RuleCompiler;
  /** Loaded as version 1 when the store is empty (`STRANGLER_RULES_FILE`). */
  readonly rulesFile: string;
  /** The safety net under the change channel (`STRANGLER_POLL_INTERVAL_MS`). */
  readonly pollIntervalMs: number;
  /** How long a check may take before Redis counts as away. Default the poll interval, at most 2 s. */
  readonly checkTimeoutMs?: number;
  /** Named as the author of the seed and of restores. Default `strangler@<host>`. */
  readonly instance?: string;
  /**
   * This instance's durable copy of the versions and audit entries (`STRANGLER_HISTORY_DIR`),
   * written back when Redis loses its data. Without one, only the version the instance routes
   * with is written back.
   */
  readonly historyCopy?: HistoryCopy;
  readonly logger?: Pick<LoggerService, 'log' | 'warn' | 'error'>;
}

/**
 * `synced`: this instance routes with the store's current version and hears of changes.
 * `degraded`: Redis is away, the change channel is down, or the store's newest version
 * cannot be used; the instance goes on routing with the version it has.
 */
export type RuleSyncState = 'synced' | 'degraded';

export interface RuleSyncStatus {
  readonly state: RuleSyncState;
  /** The version this instance routes with. */
  readonly activeVersion: number;
  /** The store's current version when last read. */
  readonly storeVersion: number | null;
  readonly lastCheckAt: string | null;
  readonly degradedSince: string | null;
  /** Why it is degraded. */
  readonly problem: string | null;
  /** This instance's history copy, `null` without one. */
  readonly history: HistoryCopyStatus | null;
}

/** What the admin plane reads of the sync (readiness, status, metrics). */
export interface RuleSyncStatusSource {
  status(): RuleSyncStatus;
}

const message = (error: unknown) => (error instanceof Error ? error.message : String(error));

function withTimeout<T>(promise: Promise<T>, ms: number, what: string): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error(`${what} took more than ${ms} ms`)), ms);
  });
  return Promise.race([promise, timeout]).finally(() => clearTimeout(timer));
}

/**
 * Keeps an {@link ActiveRules} on the store's current version: a new version announced on
 * the change channel is loaded, checked, compiled and swapped in at once, and a periodic
 * check catches what the channel missed. When Redis is away the instance keeps routing
 * with the last version it has and reports itself degraded. With a history copy, every
 * version and audit entry the instance sees is also kept on its disk, and when Redis comes
 * back empty or behind (it lost its data) the versions and audit entries it lacks are written
 * back as they were; without one, the instance writes back the version it routes with.
 *
 * Starting needs Redis once: if the store is empty it restores it from the history copy, or
 * else seeds it from the rules file (exactly once, however many instances start together),
 * and loads the current version.
 */
export class RuleSync implements RuleSyncStatusSource {
  private readonly logger: Pick<LoggerService, 'log' | 'warn' | 'error'>;
  private readonly instance: string;
  private readonly checkTimeoutMs: number;
  private readonly history: HistoryKeeper | undefined;
  private active: ActiveRules | undefined;
  private subscriber: RedisConnection | undefined;
  private timer: NodeJS.Timeout | undefined;
  private running: Promise<void> | undefined;
  private again = false;
  private stopped = false;
  private storeVersion: number | null = null;
  private lastCheckAt: Date | null = null;
  private problem: string | null = null;
  private degradedSince: Date | null = null;
  private unusableVersion = 0;
  private channelDown = false;
  /** When a check first found the store behind this instance with no usable copy to restore. */
  private behindSince: number | null = null;

  constructor(private readonly options: RuleSyncOptions) {
    this.logger = options.logger ?? new Logger('RuleSync');
    this.instance = options.instance ?? `strangler@${hostname()}`;
    this.checkTimeoutMs = options.checkTimeoutMs ?? Math.min(options.pollIntervalMs, DEFAULT_CHECK_TIMEOUT_MS);
    this.history = options.historyCopy && new HistoryKeeper(options.store, options.historyCopy, this.logger);
  }

  /** The rules this instance routes with (after {@link start}). */
  get rules(): ActiveRules {
    if (!this.active) throw new Error('RuleSync.start() has not completed');
    return this.active;
  }

  /** Subscribes, seeds the store if it is empty, loads the current version and starts the periodic check. */
  async start(): Promise<ActiveRules> {
    try {
      return await this.begin();
    } catch (error) {
      await this.stop();
      throw error;
    }
  }

  private async begin(): Promise<ActiveRules> {
    const { store } = this.options;
    const subscriber = store.redis.duplicate();
    this.subscriber = subscriber;
    // Listeners first (see RuleStore.connect): they must be on the client before connectOrFail.
    subscriber.on('error', (error: Error) => this.channelLost(error.message));
    subscriber.on('reconnecting', () => this.channelLost('reconnecting'));
    subscriber.on('ready', () => {
      this.channelDown = false;
      void this.refresh();
    });
    store.redis.on('error', (error: Error) => this.setProblem(`Redis does not answer: ${error.message}`));
    store.redis.on('ready', () => void this.refresh());
    await connectOrFail(subscriber, String(store.redis.options?.url ?? 'redis'));
    // Subscribe before reading, so that no version announced in between is missed.
    await subscriber.subscribe(store.keys.changed, () => void this.refresh());

    // Redis may have lost its data while no instance ran: the history copy writes it back.
    const read = await store.currentVersion();
    const storeVersion = (await this.keepHistory(read))?.storeVersion ?? read;
    if (storeVersion === 0) await this.seed();
    const current = await store.current();
    if (!current) throw new Error('The rule store is empty after seeding');
    // The seed (or a version made meanwhile) goes into the copy at once.
    if (current.version !== storeVersion) await this.keepHistory(current.version);
    this.active = new ActiveRules(this.compile(current));
    this.storeVersion = current.version;
    this.lastCheckAt = new Date();
    this.logger.log({ version: current.version }, `Routing with rules version ${current.version}`);
    this.timer = setInterval(() => void this.refresh(), this.options.pollIntervalMs);
    this.timer.unref();
    return this.active;
  }

  status(): RuleSyncStatus {
    return {
      state: this.problem ? 'degraded' : 'synced',
      activeVersion: this.active?.current.version ?? 0,
      storeVersion: this.storeVersion,
      lastCheckAt: this.lastCheckAt?.toISOString() ?? null,
      degradedSince: this.degradedSince?.toISOString() ?? null,
      problem: this.problem,
      history: this.history?.status() ?? null,
    };
  }

  /** Reads the store's current version and installs it if newer; runs one check at a time. */
  refresh(): Promise<void> {
    if (this.stopped || !this.active) return Promise.resolve();
    if (this.running) {
      this.again = true;
      return this.running;
    }
    this.running = (async () => {
      do {
        this.again = false;
        await this.check();
      } while (this.again && !this.stopped);
    })().finally(() => {
      this.running = undefined;
    });
    return this.running;
  }

  async stop(): Promise<void> {
    this.stopped = true;
    clearInterval(this.timer);
    await this.running?.catch(() => undefined);
    const subscriber = this.subscriber;
    if (subscriber?.isOpen) await subscriber.close().catch(() => subscriber.destroy());
  }

  private async seed(): Promise<void> {
    const file = this.options.rulesFile;
    const loaded = await loadRulesFile(file);
    if (!loaded.ok) {
      throw new Error(`The rule store is empty and the rules file cannot seed it: ${loaded.errors.join('; ')}`);
    }
    const { seeded, version } = await this.options.store.seed(loaded.ruleSet, this.instance, `seeded from ${file}`);
    if (seeded) this.logger.log({ version, file }, `Seeded the rule store from ${file} as version ${version}`);
  }

  private compile(version: RuleVersion): CompiledRuleSet {
    // Stored documents were checked when written; checking again applies this build's defaults.
    const check = checkRuleSet(version.document);
    if (!check.ok) throw new Error(`Rules version ${version.version} is invalid: ${check.errors.join('; ')}`);
    return this.options.compile(version.version, check.ruleSet);
  }

  private async check(): Promise<void> {
    const { store } = this.options;
    const active = this.rules;
    const startedAt = Date.now();
    try {
      const read = await withTimeout(store.currentVersion(), this.checkTimeoutMs, 'reading the version');
      const kept = await withTimeout(this.keepHistory(read), HISTORY_STEP_TIMEOUT_MS, 'keeping the history copy');
      const storeVersion = kept?.storeVersion ?? read;
      this.storeVersion = storeVersion;
      this.lastCheckAt = new Date();
      // Behind, and no usable history copy holds the version routed with: that version alone can go back.
      const behind = storeVersion < active.current.version && (kept?.copyVersion ?? 0) < active.current.version;
      if (storeVersion > active.current.version && storeVersion !== this.unusableVersion) {
        const version = await withTimeout(store.get(storeVersion), this.checkTimeoutMs, 'reading the rules');
        let compiled: CompiledRuleSet;
        try {
          compiled = this.compile(version);
        } catch (error) {
          this.unusableVersion = storeVersion;
          this.setProblem(message(error));
          return;
        }
        if (active.swap(compiled)) {
          this.logger.log({ version: storeVersion }, `Routing with rules version ${storeVersion}`);
        }
      } else if (behind) {
        // Instances whose copy holds the whole history restore it at their first check; a write-back
        // of one version must not come before theirs, so it waits for a check some half a poll later.
        this.behindSince ??= startedAt;
        if (startedAt - this.behindSince >= this.options.pollIntervalMs / 2) await this.restore(active.current);
      }
      if (!behind) this.behindSince = null;
      if (storeVersion === this.unusableVersion) return;
      if (this.channelDown) this.setProblem('the change channel is disconnected');
      else this.clearProblem();
    } catch (error) {
      this.setProblem(`Redis does not answer: ${message(error)}`);
    }
  }

  /**
   * Brings the history copy and the store into step (see {@link HistoryKeeper}). `undefined` when
   * there is no usable copy: the keeper reports why in the status and the log, and routing goes on.
   */
  private async keepHistory(storeVersion: number): Promise<KeptHistory | undefined> {
    try {
      return await this.history?.keep(storeVersion);
    } catch (error) {
      if (error instanceof HistoryCopyError) return undefined;
      throw error;
    }
  }

  private async restore(rules: CompiledRuleSet): Promise<void> {
    const reason = `the store was behind this instance (at ${this.storeVersion ?? 0}): Redis lost its data`;
    if (await this.options.store.restore(rules.version, rules.document, this.instance, reason)) {
      this.storeVersion = rules.version;
      this.logger.warn({ version: rules.version }, `Restored rules version ${rules.version} to the store: ${reason}`);
    }
  }

  private channelLost(detail: string): void {
    this.channelDown = true;
    this.setProblem(`the change channel is disconnected: ${detail}`);
  }

  private setProblem(problem: string): void {
    if (this.stopped) return;
    if (!this.problem) {
      this.degradedSince = new Date();
      this.logger.warn(
        { problem, version: this.active?.current.version },
        `Rule sync degraded, routing on with the version it has: ${problem}`,
      );
    }
    this.problem = problem;
  }

  private clearProblem(): void {
    if (!this.problem) return;
    this.logger.log({ version: this.active?.current.version }, 'Rule sync recovered');
    this.problem = null;
    this.degradedSince = null;
  }
}

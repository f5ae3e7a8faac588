import { ErrorReply } from 'redis';
import { type RedisConnection, connectOrFail, createRedisConnection, isClusterConnection } from '@app/redis-streams';
import { DomainError } from '@app/service-defaults';
import {
  type RuleSetDocument,
  type UpstreamAllowList,
  checkRuleSet,
  defaultAllowList,
  withAllowedUpstreams,
} from '../rules';
import { type RouteChangeFields, changeGroup, changeRoute } from './rule-changes';
import { type ChangeSummary, diffRuleSets, initialSummary } from './rule-diff';
import {
  StoreUnavailableError,
  RulesInvalidError,
  VersionConflictError,
  VersionNotFoundError,
} from './rule-store.errors';
import { RuleStoreKeys } from './rule-store.keys';
import { writeVersion } from './rule-store.scripts';
import type { AuditEntry, RuleAction, RuleVersion, RuleVersionInfo, WriteMeta, WriteResult } from './rule-version';
import { INFO_FIELDS, decodeAudit, decodeInfo, decodeVersion } from './rule-version.codec';

export const DEFAULT_LIST_LIMIT = 20;
export const MAX_LIST_LIMIT = 100;

/** A page of the version list, newest first. */
export interface VersionPage {
  readonly current: number;
  readonly versions: readonly RuleVersionInfo[];
}

/** What a write would do, without writing. */
export interface ValidationResult {
  readonly basedOn: number;
  readonly summary: ChangeSummary;
  readonly warnings: readonly string[];
}

interface Draft {
  readonly action: RuleAction;
  readonly subject: string | null;
  readonly rollbackOf: number | null;
  readonly build: (base: RuleSetDocument | undefined) => unknown;
}

/** Whether an error means Redis cannot be reached (rather than a refused write or a bug). */
export function isConnectionFailure(error: unknown): boolean {
  if (!(error instanceof Error) || error instanceof DomainError || error instanceof ErrorReply) return false;
  return /closed|offline|ECONNREFUSED|ECONNRESET|EPIPE|ETIMEDOUT|socket|connection|timeout/i.test(
    `${error.name} ${error.message}`,
  );
}

const clampLimit = (limit: number | undefined) => Math.min(Math.max(1, limit ?? DEFAULT_LIST_LIMIT), MAX_LIST_LIMIT);
const infoOf = ({ document: _document, ...info }: RuleVersion): RuleVersionInfo => info;

/**
 * The rules in Redis: immutable numbered versions (1, 2, 3…), a pointer to the current one,
 * an audit stream, and a channel announcing each new version. Every write names the version
 * it expects to replace and is refused atomically (`STRANGLER_VERSION_CONFLICT`) when another
 * write came first; a document that fails the rules check is refused with every problem
 * (`STRANGLER_RULES_INVALID`), and so is one with an upstream that `upstreamAllow` refuses
 * (`STRANGLER_UPSTREAM_ALLOW`; loopback only by default). A write that changes nothing makes no version.
 *
 * On a Redis Cluster (a URL with `?cluster=true`) its keys share one hash tag (see `rule-store.keys.ts`).
 *
 * @example
 * const store = await RuleStore.connect('redis://127.0.0.1:6379', 'ficus:');
 * const { version } = await store.changeRoute('orders-read', { mode: 'canary', percent: 10 },
 *   { expectedVersion: 4, author: 'ana', reason: 'first 10 %' });
 */
export class RuleStore {
  readonly keys: RuleStoreKeys;

  constructor(
    readonly redis: RedisConnection,
    prefix: string,
    private readonly now: () => Date = () => new Date(),
    /** Where upstreams may be: every write and validation is checked against it. */
    readonly upstreamAllow: UpstreamAllowList = defaultAllowList(),
  ) {
    // On a Redis Cluster the keys carry a hash tag: a script writes them together.
    this.keys = new RuleStoreKeys(prefix, { cluster: isClusterConnection(redis) });
  }

  /** Connects to Redis (failing at once if it does not answer) and returns a store that owns the connection. */
  static async connect(
    url: string,
    prefix: string,
    name = 'strangler-rules',
    upstreamAllow: UpstreamAllowList = defaultAllowList(),
  ): Promise<RuleStore> {
    const redis = createRedisConnection({ url, reconnectBaseDelayMs: 50, reconnectMaxDelayMs: 2_000 }, name);
    // Failures surface on the commands (and in the sync's status); without a listener they would crash the
    // process. Added before connecting: once connectOrFail has removed its own listener, listeners added to a
    // node-redis 6 client with none left would land on its proxy and never be called.
    redis.on('error', () => undefined);
    await connectOrFail(redis, url);
    try {
      return new RuleStore(redis, prefix, undefined, upstreamAllow);
    } catch (error) {
      // A prefix a cluster's hash tag cannot follow (STREAMS_OPTIONS_INVALID).
      redis.destroy();
      throw error;
    }
  }

  async close(): Promise<void> {
    if (this.redis.isOpen) await this.redis.close().catch(() => this.redis.destroy());
  }

  /** The current version's number; 0 while the store is empty. */
  currentVersion(): Promise<number> {
    return this.guard(async () => Number((await this.redis.get(this.keys.current)) ?? 0));
  }

  /** The current version, or `undefined` while the store is empty. */
  current(): Promise<RuleVersion | undefined> {
    return this.guard(async () => {
      const version = await this.currentVersion();
      return version === 0 ? undefined : this.get(version);
    });
  }

  get(version: number): Promise<RuleVersion> {
    return this.guard(async () => {
      const fields = await this.redis.hGetAll(this.keys.version(version));
      if (!fields.document) throw new VersionNotFoundError(version);
      return decodeVersion(fields);
    });
  }

  /** Versions newest first, `limit` of them (default 20, at most 100), below `before` when given. */
  list(options: { limit?: number; before?: number } = {}): Promise<VersionPage> {
    return this.guard(async () => {
      const current = await this.currentVersion();
      const top = Math.min(current, options.before === undefined ? current : options.before - 1);
      const numbers: number[] = [];
      for (let version = top; version >= 1 && numbers.length < clampLimit(options.limit); version--) {
        numbers.push(version);
      }
      const rows = await Promise.all(numbers.map((n) => this.redis.hmGet(this.keys.version(n), [...INFO_FIELDS])));
      const versions = rows
        .filter((row) => row[0] !== null && row[0] !== undefined)
        .map((row) => decodeInfo(Object.fromEntries(INFO_FIELDS.map((field, i) => [field, row[i] ?? undefined]))));
      return { current, versions };
    });
  }

  /** What changed from version `from` to version `to`. */
  diff(from: number, to: number): Promise<ChangeSummary> {
    return this.guard(async () => {
      const [before, after] = await Promise.all([this.get(from), this.get(to)]);
      return diffRuleSets(before.document, after.document);
    });
  }

  /** Checks a document and says what it would change against the current version, without writing. */
  validate(document: unknown): Promise<ValidationResult> {
    return this.guard(async () => {
      const check = withAllowedUpstreams(checkRuleSet(document), this.upstreamAllow);
      if (!check.ok) throw new RulesInvalidError(check.errors, check.warnings);
      const base = await this.current();
      return {
        basedOn: base?.version ?? 0,
        summary: base ? diffRuleSets(base.document, check.ruleSet) : initialSummary(check.ruleSet),
        warnings: check.warnings,
      };
    });
  }

  /** Replaces the whole document. */
  replace(document: unknown, meta: WriteMeta): Promise<WriteResult> {
    return this.write(meta, { action: 'replace', subject: null, rollbackOf: null, build: () => document });
  }

  /** Changes one route (`STRANGLER_ROUTE_NOT_FOUND` if no route has the id). */
  changeRoute(routeId: string, change: RouteChangeFields, meta: WriteMeta): Promise<WriteResult> {
    return this.write(meta, {
      action: 'route',
      subject: routeId,
      rollbackOf: null,
      build: (base) => changeRoute(this.require(base, meta), routeId, change),
    });
  }

  /** Changes every route of a group alike (`STRANGLER_GROUP_NOT_FOUND` if no route is in it). */
  changeGroup(group: string, change: RouteChangeFields, meta: WriteMeta): Promise<WriteResult> {
    return this.write(meta, {
      action: 'group',
      subject: group,
      rollbackOf: null,
      build: (base) => changeGroup(this.require(base, meta), group, change),
    });
  }

  /** Makes a new version whose document is that of an earlier one. */
  rollback(toVersion: number, meta: WriteMeta): Promise<WriteResult> {
    return this.guard(async () => {
      const target = await this.get(toVersion);
      return this.write(meta, {
        action: 'rollback',
        subject: String(toVersion),
        rollbackOf: toVersion,
        build: () => target.document,
      });
    });
  }

  /**
   * Writes `document` as version 1 if the store is empty. When several instances start
   * together exactly one writes it; the others get `seeded: false` and the version there is.
   */
  seed(document: unknown, author: string, reason: string): Promise<{ seeded: boolean; version: number }> {
    return this.guard(async () => {
      try {
        const result = await this.write(
          { expectedVersion: 0, author, reason },
          { action: 'seed', subject: null, rollbackOf: null, build: () => document },
        );
        return { seeded: true, version: result.version.version };
      } catch (error) {
        if (error instanceof VersionConflictError) return { seeded: false, version: error.currentVersion };
        throw error;
      }
    });
  }

  /**
   * Writes a version an instance still holds back under its own number when the store is
   * behind it (Redis lost its data), so that numbering goes on and every instance converges.
   * Returns whether it wrote.
   */
  restore(version: number, document: RuleSetDocument, author: string, reason: string): Promise<boolean> {
    return this.guard(async () => {
      const record: RuleVersion = {
        version,
        action: 'restore',
        subject: null,
        basedOn: null,
        rollbackOf: null,
        author,
        reason,
        createdAt: this.now().toISOString(),
        summary: initialSummary(document, 'restored'),
        document,
      };
      const [written] = await writeVersion(this.redis, this.keys, 'restore', 0, record);
      return written === 1;
    });
  }

  /** The audit log, newest first: `limit` entries (default 20, at most 100) older than the entry `before`. */
  audit(options: { limit?: number; before?: string } = {}): Promise<AuditEntry[]> {
    return this.guard(async () => {
      const entries = await this.redis.xRevRange(this.keys.audit, options.before ? `(${options.before}` : '+', '-', {
        COUNT: clampLimit(options.limit),
      });
      return (entries ?? []).map((entry) => decodeAudit(entry.id, entry.message as Record<string, string>));
    });
  }

  private require(base: RuleSetDocument | undefined, meta: WriteMeta): RuleSetDocument {
    if (!base) throw new VersionConflictError(meta.expectedVersion, 0);
    return base;
  }

  private write(meta: WriteMeta, draft: Draft): Promise<WriteResult> {
    return this.guard(async () => {
      const current = await this.currentVersion();
      if (current !== meta.expectedVersion) throw new VersionConflictError(meta.expectedVersion, current);
      const base = current === 0 ? undefined : await this.get(current);
      const check = withAllowedUpstreams(checkRuleSet(draft.build(base?.document)), this.upstreamAllow);
      if (!check.ok) throw new RulesInvalidError(check.errors, check.warnings);
      const summary = base ? diffRuleSets(base.document, check.ruleSet) : initialSummary(check.ruleSet);
      if (base && summary.changes.length === 0) {
        return { changed: false, version: infoOf(base), warnings: check.warnings };
      }
      const record: RuleVersion = {
        version: current + 1,
        action: draft.action,
        subject: draft.subject,
        basedOn: base ? base.version : null,
        rollbackOf: draft.rollbackOf,
        author: meta.author,
        reason: meta.reason,
        createdAt: this.now().toISOString(),
        summary,
        document: check.ruleSet,
      };
      const [written, now] = await writeVersion(this.redis, this.keys, 'expect', current, record, meta.by);
      if (written !== 1) throw new VersionConflictError(meta.expectedVersion, now);
      return { changed: true, version: infoOf(record), warnings: check.warnings };
    });
  }

  /** Connection failures become `STRANGLER_STORE_UNAVAILABLE`; anything else passes as it is. */
  private async guard<T>(operation: () => Promise<T>): Promise<T> {
    try {
      return await operation();
    } catch (error) {
      if (isConnectionFailure(error)) throw new StoreUnavailableError((error as Error).message);
      throw error;
    }
  }
}

import type { LoggerService } from '@nestjs/common';
import { FINGERPRINT_FIELDS, type HistoryCopy, fingerprint } from './history-copy';
import type { CopiedAuditEntry, CopiedVersion } from './history-copy.lines';
import { HistoryCopyDivergedError, HistoryCopyError } from './rule-store.errors';
import type { RuleStore } from './rule-store';
import { restoreHistory } from './rule-store.scripts';

/** How many versions, or audit entries, are read from Redis at a time while copying. */
const BATCH = 50;

/** The history copy as `GET /admin/status` shows it. */
export interface HistoryCopyStatus {
  readonly file: string;
  /** The newest version the copy holds. */
  readonly version: number;
  /** `STRANGLER_HISTORY_COPY_CORRUPT` or `STRANGLER_HISTORY_COPY_UNAVAILABLE` while the copy cannot be used. */
  readonly code: string | null;
  readonly problem: string | null;
}

/** The outcome of one step. */
export interface KeptHistory {
  /** The store's current version after the step (a restore moves it). */
  readonly storeVersion: number;
  /** The newest version the copy holds after it. */
  readonly copyVersion: number;
}

/**
 * Keeps an instance's {@link HistoryCopy} and Redis in step, one step per check of the sync:
 * versions and audit entries Redis has and the copy lacks are appended to the copy; when Redis
 * is behind the copy (it lost its data), the versions and audit entries it lacks are written back
 * with their numbers and ids (one script that refuses when the store moved meanwhile, so of
 * several instances restoring at once one writes). When Redis holds another history than the copy
 * (`STRANGLER_HISTORY_COPY_DIVERGED`), Redis wins: the copy is set aside and a new one follows Redis.
 */
export class HistoryKeeper {
  private failure: HistoryCopyError | null = null;
  private queue: Promise<unknown> = Promise.resolve();

  constructor(
    private readonly store: RuleStore,
    readonly copy: HistoryCopy,
    private readonly logger: Pick<LoggerService, 'log' | 'warn' | 'error'>,
  ) {}

  status(): HistoryCopyStatus {
    return {
      file: this.copy.file,
      version: this.copy.latestVersion,
      code: this.failure?.code ?? null,
      problem: this.failure?.message ?? null,
    };
  }

  /**
   * One step, after the store's current version was read as `storeVersion`; steps run one at a
   * time. Fails with a {@link HistoryCopyError} while the copy cannot be used (reading it again
   * on each step, so that a file moved aside or a disk made writable is taken up again), and
   * with Redis's own errors.
   */
  keep(storeVersion: number): Promise<KeptHistory> {
    const step = this.queue.then(() => this.step(storeVersion));
    this.queue = step.catch(() => undefined);
    return step;
  }

  private async step(storeVersion: number): Promise<KeptHistory> {
    try {
      await this.copy.load();
      await this.checkSameHistory(storeVersion);
      const kept =
        storeVersion < this.copy.latestVersion ? await this.restore(storeVersion) : await this.follow(storeVersion);
      if (this.failure) this.logger.log({ file: this.copy.file }, `The history copy ${this.copy.file} is usable again`);
      this.failure = null;
      return kept;
    } catch (error) {
      if (error instanceof HistoryCopyError) this.failed(error);
      throw error;
    }
  }

  /** Compares the newest version both should hold; sets the copy aside when Redis's differs. */
  private async checkSameHistory(storeVersion: number): Promise<void> {
    const version = this.copy.highestAtOrBelow(storeVersion);
    if (version === 0) return;
    const values = await this.store.redis.hmGet(this.store.keys.version(version), [...FINGERPRINT_FIELDS]);
    // Gone since the current version was read: Redis lost its data meanwhile, which is no other
    // history. The next step finds the store behind and restores it from this copy.
    if (values.every((value) => value === null || value === undefined)) return;
    const stored = Object.fromEntries(FINGERPRINT_FIELDS.map((field, i) => [field, values[i]]));
    if (fingerprint(stored) === this.copy.fingerprintOf(version)) return;
    const file = this.copy.file;
    const diverged = new HistoryCopyDivergedError(file, version, await this.copy.setAside());
    this.logger.warn({ code: diverged.code, file, version, aside: diverged.aside }, diverged.message);
  }

  private async follow(storeVersion: number): Promise<KeptHistory> {
    const from = this.copy.latestVersion;
    for (let first = from + 1; first <= storeVersion; first += BATCH) {
      const numbers = Array.from({ length: Math.min(BATCH, storeVersion - first + 1) }, (_, i) => first + i);
      const rows = await Promise.all(numbers.map((n) => this.store.redis.hGetAll(this.store.keys.version(n))));
      // A number Redis does not have (skipped by a write-back of an earlier build) is left out.
      const versions: CopiedVersion[] = rows.flatMap((fields, i) =>
        fields.document === undefined ? [] : [{ version: numbers[i] as number, fields }],
      );
      await this.copy.append(versions, []);
    }
    if (from < storeVersion || this.copy.lastAuditVersion < this.copy.latestVersion) {
      await this.followAudit(this.copy.latestVersion);
    }
    return { storeVersion, copyVersion: this.copy.latestVersion };
  }

  /** Appends the audit entries after the copy's last one, up to those of version `upTo`. */
  private async followAudit(upTo: number): Promise<void> {
    for (;;) {
      const after = this.copy.lastAuditId;
      const page = await this.store.redis.xRange(this.store.keys.audit, after ? `(${after}` : '-', '+', {
        COUNT: BATCH,
      });
      const entries: CopiedAuditEntry[] = [];
      for (const { id, message } of page ?? []) {
        const fields = message as Record<string, string>;
        if (Number(fields.version) > upTo) break;
        entries.push({ id, fields });
      }
      await this.copy.append([], entries);
      if (entries.length < BATCH) return;
    }
  }

  private async restore(storeVersion: number): Promise<KeptHistory> {
    const content = await this.copy.read();
    const versions = [...content.versions]
      .filter(([version]) => version > storeVersion)
      .sort(([a], [b]) => a - b)
      .map(([version, fields]) => ({ version, fields }));
    // The file lost them since it was loaded (edited by hand): nothing to write back.
    if (versions.length === 0) return { storeVersion, copyVersion: this.copy.latestVersion };
    const restored = await restoreHistory(this.store.redis, this.store.keys, storeVersion, versions, content.audit);
    if (restored.written) {
      this.logger.warn(
        { from: storeVersion + 1, to: restored.current, auditEntries: restored.auditAdded, file: this.copy.file },
        `Restored rules versions ${storeVersion + 1} to ${restored.current} and ${restored.auditAdded} audit entries ` +
          `from the history copy: the store was behind it (at ${storeVersion}), Redis lost its data`,
      );
    }
    return { storeVersion: restored.current, copyVersion: this.copy.latestVersion };
  }

  private failed(error: HistoryCopyError): void {
    if (this.failure?.message !== error.message) {
      this.logger.error(
        { code: error.code, file: error.file },
        `${error.message} Routing goes on; a Redis that loses its data now loses the history.`,
      );
    }
    this.failure = error;
  }
}

import { mkdir, open, readFile, rename, truncate } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import {
  type CopiedAuditEntry,
  type CopiedVersion,
  type HistoryContent,
  auditLine,
  headerLine,
  parseHistoryCopy,
  versionLine,
} from './history-copy.lines';
import { HistoryCopyCorruptError, HistoryCopyUnavailableError } from './rule-store.errors';

/** The fields by which a version is recognised without its document: same number, same making. */
export const FINGERPRINT_FIELDS = ['version', 'action', 'author', 'reason', 'createdAt'] as const;

export const fingerprint = (fields: Readonly<Record<string, string | null | undefined>>): string =>
  JSON.stringify(FINGERPRINT_FIELDS.map((field) => fields[field] ?? ''));

/** The copy's file in `dir` for the Redis prefix `prefix`: each prefix (each rule store) has its own. */
export function historyCopyFile(dir: string, prefix: string): string {
  const name = prefix.replace(/[^A-Za-z0-9_-]+/g, '_').replace(/^_+|_+$/g, '');
  return join(dir, `rules-${name || 'no-prefix'}.jsonl`);
}

/** What the copy keeps in memory: no documents, only what deciding needs. */
interface CopyIndex {
  readonly fingerprints: Map<number, string>;
  latestVersion: number;
  lastAuditId: string | null;
  lastAuditVersion: number;
  started: boolean;
  /** Where the whole lines end; past it lies a line cut short, cut off before the next append. */
  wholeBytes: number;
  cutShort: boolean;
}

async function syncFolder(path: string): Promise<void> {
  const folder = await open(path, 'r');
  try {
    await folder.sync();
  } finally {
    await folder.close();
  }
}

const detail = (error: unknown) => (error instanceof Error ? error.message : String(error));

/**
 * This instance's durable copy of the rules' versions and audit entries, one JSON line each
 * (`history-copy.lines.ts`), appended and flushed to disk as the instance sees them in Redis,
 * so that the history outlives a Redis that loses its data. Reading fails with
 * `STRANGLER_HISTORY_COPY_CORRUPT` (a line this build did not write; the file is never written
 * to then) or `STRANGLER_HISTORY_COPY_UNAVAILABLE` (the file cannot be read or written).
 *
 * @example
 * const copy = new HistoryCopy(historyCopyFile('data/strangler', 'ficus:'), 'ficus:');
 * await copy.load();
 * copy.latestVersion; // the newest version it holds
 */
export class HistoryCopy {
  private index: CopyIndex | undefined;

  constructor(
    readonly file: string,
    readonly prefix: string,
  ) {}

  /** The copy for `prefix` in the folder `dir` (`STRANGLER_HISTORY_DIR`). */
  static inDir(dir: string, prefix: string): HistoryCopy {
    return new HistoryCopy(historyCopyFile(dir, prefix), prefix);
  }

  /** The newest version held; 0 while empty or not loaded. */
  get latestVersion(): number {
    return this.index?.latestVersion ?? 0;
  }

  get lastAuditId(): string | null {
    return this.index?.lastAuditId ?? null;
  }

  /** The version the newest audit entry held is about. */
  get lastAuditVersion(): number {
    return this.index?.lastAuditVersion ?? 0;
  }

  /** Reads the file unless it is loaded: a missing file is an empty copy. */
  async load(): Promise<void> {
    if (this.index) return;
    const content = await this.read();
    const index: CopyIndex = {
      fingerprints: new Map(),
      latestVersion: 0,
      lastAuditId: null,
      lastAuditVersion: 0,
      started: content.started,
      wholeBytes: content.wholeBytes,
      cutShort: content.cutShort,
    };
    this.add(
      index,
      [...content.versions].map(([version, fields]) => ({ version, fields })),
      content.audit,
    );
    this.index = index;
  }

  /** Everything the file holds, documents included (read again each time: only a restore needs it). */
  async read(): Promise<HistoryContent> {
    let bytes: Buffer;
    try {
      bytes = await readFile(this.file);
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code === 'ENOENT') {
        return { versions: new Map(), audit: [], started: false, wholeBytes: 0, cutShort: false };
      }
      throw new HistoryCopyUnavailableError(this.file, detail(error));
    }
    const parsed = parseHistoryCopy(bytes, this.prefix);
    if (!parsed.ok) throw new HistoryCopyCorruptError(this.file, parsed.problem.line, parsed.problem.detail);
    return parsed.content;
  }

  /** The fingerprint of the version held under `version`, if any. */
  fingerprintOf(version: number): string | undefined {
    return this.index?.fingerprints.get(version);
  }

  /** The highest version held at or below `version` (0 if none). */
  highestAtOrBelow(version: number): number {
    if (version >= this.latestVersion) return this.latestVersion;
    let highest = 0;
    for (const held of this.index?.fingerprints.keys() ?? []) if (held <= version && held > highest) highest = held;
    return highest;
  }

  /** Appends versions and audit entries and flushes them to disk before returning. */
  async append(versions: readonly CopiedVersion[], audit: readonly CopiedAuditEntry[]): Promise<void> {
    const index = this.index;
    if (!index) throw new Error('HistoryCopy.load() has not completed');
    if (versions.length === 0 && audit.length === 0) return;
    const text = [
      index.started ? '' : headerLine(this.prefix),
      ...versions.map(versionLine),
      ...audit.map(auditLine),
    ].join('');
    try {
      await mkdir(dirname(this.file), { recursive: true });
      if (index.cutShort) await truncate(this.file, index.wholeBytes);
      const handle = await open(this.file, 'a');
      try {
        await handle.write(text);
        await handle.datasync();
      } finally {
        await handle.close();
      }
      // A new file's name is durable only once its folder is.
      if (!index.started) await syncFolder(dirname(this.file));
    } catch (error) {
      // What is on disk is unknown now: read it again next time.
      this.index = undefined;
      throw new HistoryCopyUnavailableError(this.file, detail(error));
    }
    index.started = true;
    index.cutShort = false;
    index.wholeBytes += Buffer.byteLength(text);
    this.add(index, versions, audit);
  }

  /** Renames the file to `<file>.diverged-<time>` and starts an empty copy; returns the new name. */
  async setAside(now = new Date()): Promise<string> {
    const aside = `${this.file}.diverged-${now.toISOString().replace(/[:.]/g, '-')}`;
    this.index = undefined;
    try {
      await rename(this.file, aside);
    } catch (error) {
      throw new HistoryCopyUnavailableError(this.file, detail(error));
    }
    await this.load();
    return aside;
  }

  private add(index: CopyIndex, versions: readonly CopiedVersion[], audit: readonly CopiedAuditEntry[]): void {
    for (const { version, fields } of versions) {
      index.fingerprints.set(version, fingerprint(fields));
      index.latestVersion = Math.max(index.latestVersion, version);
    }
    const last = audit.at(-1);
    if (last) {
      index.lastAuditId = last.id;
      index.lastAuditVersion = Number(last.fields.version);
    }
  }
}

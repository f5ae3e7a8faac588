import type { RuleSetDocument } from '../rules';
import type { ChangeSummary } from './rule-diff';

/** What made a version: the file at start-up, an admin change, a rollback, or a restore after Redis lost it. */
export const RULE_ACTIONS = ['seed', 'replace', 'route', 'group', 'rollback', 'restore'] as const;
export type RuleAction = (typeof RULE_ACTIONS)[number];

/** A stored version without its document: who made it, when, why, and what changed. */
export interface RuleVersionInfo {
  readonly version: number;
  readonly action: RuleAction;
  /** The route id or group name a `route`/`group` change was about. */
  readonly subject: string | null;
  /** The version this one replaced (`null` for the first, or after a restore). */
  readonly basedOn: number | null;
  /** For a rollback: the version whose document this one repeats. */
  readonly rollbackOf: number | null;
  readonly author: string;
  readonly reason: string;
  /** ISO 8601. */
  readonly createdAt: string;
  /** What changed against `basedOn`. */
  readonly summary: ChangeSummary;
}

/** An immutable, numbered version of the rules. */
export interface RuleVersion extends RuleVersionInfo {
  readonly document: RuleSetDocument;
}

/** Who writes, and why; every write names the version it expects to replace. */
export interface WriteMeta {
  readonly expectedVersion: number;
  readonly author: string;
  readonly reason: string;
  /** The name of the admin token that made the write, recorded in its audit entry. */
  readonly by?: string;
}

/** The outcome of a write. A write that changes nothing makes no version (`changed: false`). */
export interface WriteResult {
  readonly changed: boolean;
  /** The new version, or the current one when nothing changed. */
  readonly version: RuleVersionInfo;
  /** Warnings of the rules check (unreachable routes). */
  readonly warnings: readonly string[];
}

/** One entry of the audit log (newest first when listed). */
export interface AuditEntry {
  /** The Redis stream id, usable as `before` to page back. */
  readonly id: string;
  readonly version: number;
  readonly action: RuleAction;
  readonly subject: string | null;
  readonly author: string;
  /** The name of the admin token that made the change (`null` for the seed, restores and older entries). */
  readonly by: string | null;
  readonly reason: string;
  readonly at: string;
  /** One line: what changed. */
  readonly summary: string;
}

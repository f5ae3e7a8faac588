import type { RuleSetDocument } from '../rules';
import type { ChangeSummary } from './rule-diff';
import { type AuditEntry, RULE_ACTIONS, type RuleAction, type RuleVersion, type RuleVersionInfo } from './rule-version';

/** The hash fields of a version, without the document (what a listing reads). */
export const INFO_FIELDS = [
  'version',
  'action',
  'subject',
  'basedOn',
  'rollbackOf',
  'author',
  'reason',
  'createdAt',
  'summary',
] as const;

const optionalNumber = (value: string | undefined) => (value ? Number(value) : null);
const action = (value: string | undefined): RuleAction =>
  RULE_ACTIONS.includes(value as RuleAction) ? (value as RuleAction) : 'replace';

/** The hash field/value list of a version, for the write script. */
export function encodeVersion(version: RuleVersion): string[] {
  return [
    'version',
    String(version.version),
    'action',
    version.action,
    'subject',
    version.subject ?? '',
    'basedOn',
    version.basedOn === null ? '' : String(version.basedOn),
    'rollbackOf',
    version.rollbackOf === null ? '' : String(version.rollbackOf),
    'author',
    version.author,
    'reason',
    version.reason,
    'createdAt',
    version.createdAt,
    'summary',
    JSON.stringify(version.summary),
    'document',
    JSON.stringify(version.document),
  ];
}

/** A version's info from its hash fields (as `HGETALL` or `HMGET` of {@link INFO_FIELDS} give them). */
export function decodeInfo(fields: Readonly<Record<string, string | undefined>>): RuleVersionInfo {
  return {
    version: Number(fields.version),
    action: action(fields.action),
    subject: fields.subject || null,
    basedOn: optionalNumber(fields.basedOn),
    rollbackOf: optionalNumber(fields.rollbackOf),
    author: fields.author ?? '',
    reason: fields.reason ?? '',
    createdAt: fields.createdAt ?? '',
    summary: fields.summary ? (JSON.parse(fields.summary) as ChangeSummary) : { text: '', changes: [] },
  };
}

export function decodeVersion(fields: Readonly<Record<string, string | undefined>>): RuleVersion {
  return { ...decodeInfo(fields), document: JSON.parse(fields.document ?? '{}') as RuleSetDocument };
}

/** The audit stream entry of a new version, with the admin token that made it (`by`) when there is one. */
export function encodeAudit(version: RuleVersionInfo, by?: string): string[] {
  return [
    'version',
    String(version.version),
    'action',
    version.action,
    'subject',
    version.subject ?? '',
    'author',
    version.author,
    'reason',
    version.reason,
    'at',
    version.createdAt,
    'summary',
    version.summary.text,
    ...(by ? ['by', by] : []),
  ];
}

export function decodeAudit(id: string, fields: Readonly<Record<string, string | undefined>>): AuditEntry {
  return {
    id,
    version: Number(fields.version),
    action: action(fields.action),
    subject: fields.subject || null,
    author: fields.author ?? '',
    by: fields.by || null,
    reason: fields.reason ?? '',
    at: fields.at ?? '',
    summary: fields.summary ?? '',
  };
}

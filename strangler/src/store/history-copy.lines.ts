import { z } from 'zod';

/**
 * The lines of a history copy (JSON lines). The first is the header, naming the format and the
 * Redis prefix whose history the file holds; then one line per version (its hash fields exactly
 * as Redis held them) and one per audit entry (its stream id and fields), in the order this
 * instance saw them.
 *
 * @example
 * {"kind":"copy","format":1,"prefix":"ficus:"}
 * {"kind":"version","version":1,"fields":{"version":"1","action":"seed","document":"{…}",…}}
 * {"kind":"audit","id":"1718000000000-0","fields":{"version":"1","action":"seed",…}}
 */
export const HISTORY_COPY_FORMAT = 1;

/** A version's hash fields or an audit entry's fields, as Redis holds them. */
export type RawFields = Readonly<Record<string, string>>;

export interface CopiedVersion {
  readonly version: number;
  readonly fields: RawFields;
}

export interface CopiedAuditEntry {
  /** The Redis stream id, kept so that paging by `before` works as before a restore. */
  readonly id: string;
  readonly fields: RawFields;
}

/** What a copy holds: versions by number, audit entries in stream order. */
export interface HistoryContent {
  readonly versions: ReadonlyMap<number, RawFields>;
  readonly audit: readonly CopiedAuditEntry[];
  /** Whether the file has its header (false for a missing or empty file). */
  readonly started: boolean;
  /** The bytes of whole lines. */
  readonly wholeBytes: number;
  /** Whether a last line without its newline follows them: cut short by a crash, ignored. */
  readonly cutShort: boolean;
}

export type HistoryLineProblem = { readonly line: number; readonly detail: string };

const STREAM_ID = /^\d{1,20}-\d{1,20}$/;
const Fields = z.record(z.string(), z.string());
const Line = z.discriminatedUnion('kind', [
  z.strictObject({ kind: z.literal('copy'), format: z.number(), prefix: z.string() }),
  z.strictObject({ kind: z.literal('version'), version: z.int().min(1), fields: Fields }),
  z.strictObject({ kind: z.literal('audit'), id: z.string().regex(STREAM_ID), fields: Fields }),
]);
type Line = z.output<typeof Line>;

/** Orders Redis stream ids (`<ms>-<seq>`). */
export function compareStreamIds(a: string, b: string): number {
  const [aMs = 0n, aSeq = 0n] = a.split('-').map(BigInt);
  const [bMs = 0n, bSeq = 0n] = b.split('-').map(BigInt);
  if (aMs !== bMs) return aMs < bMs ? -1 : 1;
  return aSeq === bSeq ? 0 : aSeq < bSeq ? -1 : 1;
}

export const headerLine = (prefix: string): string =>
  `${JSON.stringify({ kind: 'copy', format: HISTORY_COPY_FORMAT, prefix })}\n`;

export const versionLine = ({ version, fields }: CopiedVersion): string =>
  `${JSON.stringify({ kind: 'version', version, fields })}\n`;

export const auditLine = ({ id, fields }: CopiedAuditEntry): string =>
  `${JSON.stringify({ kind: 'audit', id, fields })}\n`;

const sameFields = (a: RawFields, b: RawFields) =>
  Object.keys(a).length === Object.keys(b).length && Object.entries(a).every(([key, value]) => b[key] === value);

function problemOf(line: Line, prefix: string): string | undefined {
  if (line.kind === 'copy') {
    if (line.format !== HISTORY_COPY_FORMAT) return `format ${line.format} is not ${HISTORY_COPY_FORMAT}`;
    if (line.prefix !== prefix) return `it holds the history of the prefix "${line.prefix}", not "${prefix}"`;
  } else if (line.kind === 'version') {
    if (line.fields.version !== String(line.version)) return `version ${line.version} has fields of another version`;
    if (line.fields.document === undefined) return `version ${line.version} has no document`;
  } else if (!/^\d+$/.test(line.fields.version ?? '')) {
    return `audit entry ${line.id} names no version`;
  }
  return undefined;
}

/**
 * Reads a copy's bytes: a problem names the first bad line (1-based). The same version or audit
 * entry twice is accepted when both lines are equal (two instances may share a file), refused
 * when they differ. A last line without its newline was cut short by a crash and is ignored.
 */
export function parseHistoryCopy(
  bytes: Buffer,
  prefix: string,
): { ok: true; content: HistoryContent } | { ok: false; problem: HistoryLineProblem } {
  const wholeBytes = bytes.lastIndexOf(0x0a) + 1;
  const lines = bytes.subarray(0, wholeBytes).toString('utf8').split('\n').slice(0, -1);
  const versions = new Map<number, RawFields>();
  const audit = new Map<string, RawFields>();
  for (const [index, text] of lines.entries()) {
    const fail = (detail: string) => ({ ok: false as const, problem: { line: index + 1, detail } });
    let parsed: Line;
    try {
      const result = Line.safeParse(JSON.parse(text));
      if (!result.success) return fail(`not a line of a history copy (${z.prettifyError(result.error)})`);
      parsed = result.data;
    } catch {
      return fail('not JSON');
    }
    if ((index === 0) !== (parsed.kind === 'copy')) return fail('the header must be the first line, and only it');
    const problem = problemOf(parsed, prefix);
    if (problem) return fail(problem);
    if (parsed.kind === 'version') {
      const seen = versions.get(parsed.version);
      if (seen && !sameFields(seen, parsed.fields))
        return fail(`version ${parsed.version} differs from an earlier line`);
      versions.set(parsed.version, parsed.fields);
    } else if (parsed.kind === 'audit') {
      const seen = audit.get(parsed.id);
      if (seen && !sameFields(seen, parsed.fields))
        return fail(`audit entry ${parsed.id} differs from an earlier line`);
      audit.set(parsed.id, parsed.fields);
    }
  }
  const entries = [...audit].map(([id, fields]) => ({ id, fields })).sort((a, b) => compareStreamIds(a.id, b.id));
  return {
    ok: true,
    content: { versions, audit: entries, started: lines.length > 0, wholeBytes, cutShort: bytes.length > wholeBytes },
  };
}

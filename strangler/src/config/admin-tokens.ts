import { ConfigValidationError, type EnvSource } from '@app/service-defaults';
import { type AdminTokenEntry, adminTokenFileEntries } from './admin-tokens-file';

/** `read-only` may read (rules, history, audit, explain, status, traffic); `operator` may also change the rules. */
export const ADMIN_ROLES = ['read-only', 'operator'] as const;
export type AdminRole = (typeof ADMIN_ROLES)[number];

/** The name `STRANGLER_ADMIN_TOKEN` is known by: one operator token, as before tokens had names. */
export const SINGLE_ADMIN_TOKEN_NAME = 'admin';
export const MIN_ADMIN_TOKEN_LENGTH = 16;

/** One admin token: its name (recorded as `by` in the audit), its role and its secret. */
export interface AdminToken {
  readonly name: string;
  readonly role: AdminRole;
  readonly secret: string;
}

const NAME = /^[a-z0-9][a-z0-9._-]{0,63}$/;
// Sent as `Authorization: Bearer <secret>`: visible ASCII, and no comma (it separates the tokens).
const SECRET = /^[\x21-\x2b\x2d-\x7e]+$/;
const FORMAT = 'name:role:secret, comma-separated';

/**
 * The admin tokens from `STRANGLER_ADMIN_TOKENS` (`name:role:secret,…`) or the file
 * `STRANGLER_ADMIN_TOKENS_FILE` (one entry a line, `#` comments), and `STRANGLER_ADMIN_TOKEN` (one
 * `operator` named `admin`); at least one is required. Throws {@link ConfigValidationError}
 * (`CONFIG_INVALID`) naming every problem: a bad name, role or secret, a name or secret given twice.
 *
 * SECURITY: messages name entries by position and name, never by their secret.
 *
 * @example
 * readAdminTokens({ STRANGLER_ADMIN_TOKENS: 'ana:operator:0123456789abcdef,grafana:read-only:fedcba9876543210' });
 */
export function readAdminTokens(source: EnvSource, readFile?: (path: string) => string): readonly AdminToken[] {
  const problems: string[] = [];
  const tokens: AdminToken[] = [];
  const single = source.STRANGLER_ADMIN_TOKEN;
  if (single) {
    if (single.length < MIN_ADMIN_TOKEN_LENGTH || !SECRET.test(single)) {
      problems.push(
        `STRANGLER_ADMIN_TOKEN is not allowed: a secret of at least ${MIN_ADMIN_TOKEN_LENGTH} visible characters without spaces or commas`,
      );
    } else tokens.push({ name: SINGLE_ADMIN_TOKEN_NAME, role: 'operator', secret: single });
  }
  const list = source.STRANGLER_ADMIN_TOKENS;
  const file = source.STRANGLER_ADMIN_TOKENS_FILE;
  const entries: AdminTokenEntry[] = [];
  if (list && file) {
    problems.push(
      'STRANGLER_ADMIN_TOKENS and STRANGLER_ADMIN_TOKENS_FILE are both set; give the tokens in one of them',
    );
  } else if (list) {
    entries.push(
      ...list.split(',').map((text, index) => ({ at: `STRANGLER_ADMIN_TOKENS entry ${index + 1}`, text: text.trim() })),
    );
  } else if (file) {
    const read = adminTokenFileEntries(file, readFile);
    entries.push(...read.entries);
    problems.push(...read.problems);
  }
  for (const entry of entries) {
    const token = parseEntry(entry, problems);
    if (token) tokens.push(token);
  }
  if (!single && !list && !file) {
    problems.push(
      `STRANGLER_ADMIN_TOKENS, STRANGLER_ADMIN_TOKENS_FILE and STRANGLER_ADMIN_TOKEN are unset; allowed: ${FORMAT} in ` +
        `STRANGLER_ADMIN_TOKENS (one a line in STRANGLER_ADMIN_TOKENS_FILE), or one operator secret of at least ` +
        `${MIN_ADMIN_TOKEN_LENGTH} characters in STRANGLER_ADMIN_TOKEN (one is required: they guard the admin API)`,
    );
  }
  problems.push(...duplicates(tokens, Boolean(single)));
  if (problems.length > 0) throw new ConfigValidationError(problems);
  return Object.freeze(tokens.map((token) => Object.freeze(token)));
}

/** One `name:role:secret` entry, or its problems added to `problems`. */
function parseEntry({ at, text }: AdminTokenEntry, problems: string[]): AdminToken | undefined {
  const [name = '', role = '', ...rest] = text.split(':');
  const secret = rest.join(':');
  const named = NAME.test(name) ? `${at} ("${name}")` : at;
  if (rest.length === 0) {
    problems.push(`${at} is not name:role:secret; allowed: ${FORMAT}`);
    return undefined;
  }
  const before = problems.length;
  if (!NAME.test(name)) {
    problems.push(
      `${at}: the name ${JSON.stringify(name)} is not 1 to 64 of a-z 0-9 . _ - (starting with a letter or digit)`,
    );
  }
  if (!(ADMIN_ROLES as readonly string[]).includes(role)) {
    problems.push(`${named}: the role ${JSON.stringify(role)} is not one of ${ADMIN_ROLES.join(', ')}`);
  }
  if (secret.length < MIN_ADMIN_TOKEN_LENGTH || !SECRET.test(secret)) {
    problems.push(
      `${named}: the secret must be at least ${MIN_ADMIN_TOKEN_LENGTH} visible characters without spaces or commas`,
    );
  }
  return problems.length === before ? { name, role: role as AdminRole, secret } : undefined;
}

function duplicates(tokens: readonly AdminToken[], withSingle: boolean): string[] {
  const problems: string[] = [];
  const names = new Set<string>();
  const secrets = new Map<string, string>();
  for (const { name, secret } of tokens) {
    if (names.has(name)) {
      problems.push(
        name === SINGLE_ADMIN_TOKEN_NAME && withSingle
          ? `STRANGLER_ADMIN_TOKENS names a token "${name}", the name of STRANGLER_ADMIN_TOKEN; give it another name`
          : `STRANGLER_ADMIN_TOKENS names two tokens "${name}"; give each its own name`,
      );
    }
    names.add(name);
    const first = secrets.get(secret);
    if (first !== undefined) {
      problems.push(
        `the tokens "${first}" and "${name}" have the same secret; give each its own, so the audit can tell them apart`,
      );
    } else secrets.set(secret, name);
  }
  return problems;
}

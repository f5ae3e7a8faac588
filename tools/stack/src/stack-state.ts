import { randomBytes } from 'node:crypto';
import { existsSync, mkdirSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { parseEnv } from 'node:util';
import { StackError } from './stack-errors';

/** The file in the data folder that ties the folder's databases to their Redis keys and admin token. */
export const STACK_STATE_FILE = 'stack.env';
/** Every stack's default prefix starts with it; a stack's own is `ficus:<8 hex digits>:`. */
export const STACK_PREFIX_BASE = 'ficus:';
/** What the facade requires of its admin token (`STRANGLER_ADMIN_TOKEN`). */
const MIN_ADMIN_TOKEN_LENGTH = 16;
/** A value written without quotes; anything else is single-quoted (literal in Node's `.env` parser). */
const PLAIN_VALUE = /^[\w:./@+=,-]*$/;
/** Characters a value may hold: visible ASCII without the quote that would end it. */
const WRITABLE_VALUE = /^[\x20-\x26\x28-\x7e]*$/;

/** What a stack keeps beside its databases, so that a new data folder never meets an old stack's keys. */
export interface StackState {
  /** The prefix of every Redis key of the stack's processes (`REDIS_PREFIX`). */
  readonly redisPrefix: string;
  /** The facade's admin token (`STRANGLER_ADMIN_TOKEN`), the same across restarts. */
  readonly adminToken: string;
}

/** The path of the state file of a data folder. */
export function stackStatePath(dataDir: string): string {
  return join(dataDir, STACK_STATE_FILE);
}

/** What the data folder's state file holds, if it exists; throws a {@link StackError} naming a bad value. */
export function readStackState(dataDir: string): Partial<StackState> | undefined {
  const path = stackStatePath(dataDir);
  if (!existsSync(path)) return undefined;
  const values = parseEnv(readFileSync(path, 'utf8'));
  const problems: string[] = [];
  const prefix = values.REDIS_PREFIX;
  if (prefix !== undefined && prefix.trim() === '') problems.push('REDIS_PREFIX is empty');
  const token = values.STRANGLER_ADMIN_TOKEN;
  if (token !== undefined && token.length < MIN_ADMIN_TOKEN_LENGTH) {
    problems.push(`STRANGLER_ADMIN_TOKEN has fewer than ${MIN_ADMIN_TOKEN_LENGTH} characters`);
  }
  if (problems.length > 0) {
    throw new StackError(
      'STACK_CONFIG_INVALID',
      `${path}: ${problems.join('; ')}. Correct the file, or delete it with the data beside it (npm run reset).`,
    );
  }
  return { redisPrefix: prefix, adminToken: token };
}

/** A prefix no other stack has: `ficus:<8 hex digits>:`. */
export function newStackPrefix(): string {
  return `${STACK_PREFIX_BASE}${randomBytes(4).toString('hex')}:`;
}

/**
 * The state of this start: what the environment sets wins (and is kept for the next start), then
 * what the folder's file holds, then new values (a new prefix, a new token).
 */
export function resolveStackState(
  env: { readonly redisPrefix?: string | undefined; readonly adminToken?: string | undefined },
  saved: Partial<StackState> | undefined,
): StackState {
  return {
    redisPrefix: env.redisPrefix || saved?.redisPrefix || newStackPrefix(),
    adminToken: env.adminToken || saved?.adminToken || randomBytes(16).toString('hex'),
  };
}

/**
 * Writes the state file (readable by its owner only), with the rows' `sharedEnv` of this start
 * (e.g. the admin API's address), for the commands that `npm run` starts beside the stack: they
 * load it with `node --env-file-if-exists=data/stack.env`, so a variable set in their
 * environment still wins.
 */
export function writeStackState(
  dataDir: string,
  state: StackState,
  shared: Readonly<Record<string, string>> = {},
): void {
  const values: [string, string][] = [
    ['REDIS_PREFIX', state.redisPrefix],
    ['STRANGLER_ADMIN_TOKEN', state.adminToken],
    ...Object.entries(shared),
  ];
  for (const [name, value] of values) {
    if (!WRITABLE_VALUE.test(value)) {
      throw new StackError(
        'STACK_CONFIG_INVALID',
        `${name} may hold visible ASCII characters and spaces only, without a single quote; it is ${JSON.stringify(value)}`,
      );
    }
  }
  const text = [
    '# Written by npm start: the Redis key prefix and the admin token that belong with the databases',
    '# in this folder. npm scripts load it (a variable set in the environment wins); npm run reset',
    '# deletes it with the databases and the keys.',
    ...values.map(([name, value]) => `${name}=${PLAIN_VALUE.test(value) ? value : `'${value}'`}`),
    '',
  ].join('\n');
  mkdirSync(dataDir, { recursive: true });
  const path = stackStatePath(dataDir);
  const partial = `${path}.${process.pid}.tmp`;
  writeFileSync(partial, text, { mode: 0o600 });
  renameSync(partial, path);
}

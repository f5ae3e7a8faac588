import { existsSync, readdirSync, rmSync } from 'node:fs';
import { isAbsolute, relative, resolve } from 'node:path';
import { createClient } from 'redis';
import { StackOutput } from './output';
import { ProcessSpec, isStranglerHistoryFolder } from './processes';
import { StackConfig } from './stack.config';
import { StackError } from './stack-errors';
import { STACK_LOCK_FILE, stackHolder } from './stack-lock';
import { STACK_PREFIX_BASE, readStackState, stackStatePath } from './stack-state';
import { redisDataDir } from './redis-check';

/** How long `npm run reset` waits for Redis before it says the keys are left where they are. */
export const RESET_REDIS_TIMEOUT_MS = 3_000;
const SQLITE_SIDE_FILES = ['', '-wal', '-shm', '-journal'];

/** What `npm run reset` did. */
export interface ResetReport {
  /** Keys deleted under the stack's prefix, or undefined when Redis could not be asked. */
  readonly keysDeleted: number | undefined;
  readonly filesDeleted: readonly string[];
  /** Databases outside the data folder (PostgreSQL, or SQLite elsewhere), left as they are. */
  readonly databasesLeft: readonly string[];
}

/** `prefix` as a Redis glob that matches itself literally. */
export function literalGlob(prefix: string): string {
  return prefix.replace(/[*?[\]\\]/g, (char) => `\\${char}`);
}

/**
 * Empties a stack started by `npm start`: its SQLite databases in the data folder (as configured,
 * and the rows' default files), the keys under
 * the prefix its state file names, and the state file (so the next start gets a new prefix and a
 * new admin token). Refuses while a launcher runs on the folder. Databases outside the folder
 * are named and left alone.
 */
export async function resetStack(
  config: StackConfig,
  processes: readonly ProcessSpec[],
  rootDir: string,
  output: StackOutput,
  redisTimeoutMs = RESET_REDIS_TIMEOUT_MS,
): Promise<ResetReport> {
  const dataDir = resolve(rootDir, config.dataDir);
  const holder = stackHolder(dataDir);
  if (holder !== undefined) {
    throw new StackError(
      'STACK_ALREADY_RUNNING',
      `A stack runs on ${config.dataDir} (launcher pid ${holder}); stop it (Ctrl-C) before npm run reset.`,
    );
  }
  const state = readStackState(dataDir);
  let keysDeleted: number | undefined = 0;
  if (state?.redisPrefix === STACK_PREFIX_BASE) {
    output.out(`Keys under ${STACK_PREFIX_BASE} are left: every stack's own prefix starts with it.`);
  } else if (state?.redisPrefix) {
    keysDeleted = await deleteKeys(config.redisUrl, state.redisPrefix, redisTimeoutMs, output);
  }

  const filesDeleted: string[] = [];
  const databasesLeft: string[] = [];
  // The folder's own databases: those the configuration names there, and those of an earlier
  // start with the defaults (a process now on PostgreSQL may have left its SQLite file).
  const databaseFiles = new Set(
    processes.flatMap((spec) => (spec.database ? [resolve(dataDir, spec.database.defaultFile)] : [])),
  );
  for (const [name, url] of Object.entries(config.databaseUrls)) {
    const file = url.startsWith('sqlite:') ? url.slice('sqlite:'.length) : undefined;
    if (file === ':memory:') continue;
    const path = file === undefined ? undefined : resolve(rootDir, file);
    if (path === undefined || !inside(dataDir, path)) databasesLeft.push(`${name}: ${withoutPassword(url)}`);
    else databaseFiles.add(path);
  }
  for (const path of databaseFiles) {
    for (const suffix of SQLITE_SIDE_FILES) filesDeleted.push(...remove(`${path}${suffix}`));
  }
  filesDeleted.push(
    ...remove(stackStatePath(dataDir)),
    ...remove(resolve(dataDir, STACK_LOCK_FILE)),
    // The append-only file of the Redis the launcher starts when none answers: its keys are the folder's.
    ...remove(redisDataDir(dataDir)),
    // Every facade instance's copy of the rules' history (`strangler`, and `strangler-2`, … with STACK_REPLICAS).
    ...historyFolders(dataDir).flatMap((folder) => remove(resolve(dataDir, folder))),
  );
  return { keysDeleted, filesDeleted: filesDeleted.map((path) => relative(rootDir, path)), databasesLeft };
}

function historyFolders(dataDir: string): string[] {
  return existsSync(dataDir) ? readdirSync(dataDir).filter(isStranglerHistoryFolder).sort() : [];
}

function withoutPassword(url: string): string {
  try {
    const parsed = new URL(url);
    if (!parsed.password) return url;
    parsed.password = '***';
    return parsed.toString();
  } catch {
    return url;
  }
}

function inside(folder: string, path: string): boolean {
  const rest = relative(folder, path);
  return rest !== '' && !rest.startsWith('..') && !isAbsolute(rest);
}

function remove(path: string): string[] {
  if (!existsSync(path)) return [];
  rmSync(path, { force: true, recursive: true });
  return [path];
}

async function deleteKeys(
  url: string,
  prefix: string,
  timeoutMs: number,
  output: StackOutput,
): Promise<number | undefined> {
  const redis = createClient({ url, socket: { connectTimeout: timeoutMs, reconnectStrategy: false } });
  redis.on('error', () => undefined);
  try {
    await redis.connect();
  } catch (error) {
    output.err(
      `No Redis answered at ${url} (${error instanceof Error ? error.message : String(error)}): the keys under ` +
        `${prefix} are left there. No later stack uses that prefix; a Redis that npm start started kept nothing.`,
    );
    return undefined;
  }
  try {
    let deleted = 0;
    for await (const keys of redis.scanIterator({ MATCH: `${literalGlob(prefix)}*`, COUNT: 1000 })) {
      if (keys.length > 0) deleted += await redis.unlink(keys);
    }
    return deleted;
  } finally {
    redis.destroy();
  }
}

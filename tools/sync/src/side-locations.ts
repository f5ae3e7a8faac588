import { isAbsolute, resolve } from 'node:path';
import { PROCESSES, type ProcessSpec } from '../../stack/src/processes';
import { loadStackConfig } from '../../stack/src/stack.config';
import { StackError } from '../../stack/src/stack-errors';
import { SyncError } from './sync-errors';

export type EnvSource = Readonly<Record<string, string | undefined>>;

/** Where one process keeps its data, found as the launcher finds it. */
export type SideLocation = {
  readonly process: string;
  /** Where it came from, for messages: `PAYMENTS_DATABASE_URL`, or `the default; PAYMENTS_DATABASE_URL is not set`. */
  readonly source: string;
  /** The launcher's variable for this process's database, e.g. `PAYMENTS_DATABASE_URL`. */
  readonly variable: string;
} & ({ readonly kind: 'sqlite'; readonly path: string } | { readonly kind: 'postgres'; readonly url: string });

/**
 * Every process's database exactly as `npm start` gives it to the process (`DATABASE_URL` of
 * the child): the row's variable of `tools/stack/src/processes.ts` (`CATALOG_DATABASE_URL`, …;
 * the monolith falls back to `DATABASE_URL`), else the row's default file in the data folder
 * (`STACK_DATA_DIR`, default `data/`). Relative SQLite paths are the repository root's, where
 * the launcher runs the processes. Throws `SYNC_CONFIG_INVALID` where the launcher would refuse.
 */
export function locateSides(
  env: EnvSource,
  rootDir: string,
  processes: readonly ProcessSpec[] = PROCESSES,
): Map<string, SideLocation> {
  let urls: Readonly<Record<string, string>>;
  try {
    urls = loadStackConfig(env, processes).databaseUrls;
  } catch (error) {
    if (error instanceof StackError) throw new SyncError('SYNC_CONFIG_INVALID', error.message);
    throw error;
  }
  const locations = new Map<string, SideLocation>();
  for (const spec of processes) {
    const url = urls[spec.name];
    if (!spec.database || url === undefined) continue;
    const { variable, fallbacks = [] } = spec.database;
    const source = [variable, ...fallbacks].find((name) => env[name]?.trim()) ?? `the default; ${variable} is not set`;
    const common = { process: spec.name, source, variable };
    if (url.startsWith('sqlite:')) {
      const file = url.slice('sqlite:'.length);
      const path = file === ':memory:' ? file : isAbsolute(file) ? file : resolve(rootDir, file);
      locations.set(spec.name, { ...common, kind: 'sqlite', path });
    } else {
      locations.set(spec.name, { ...common, kind: 'postgres', url });
    }
  }
  return locations;
}

/** The URL as it may be shown: without its password. */
export function withoutPassword(url: string): string {
  try {
    const parsed = new URL(url);
    if (!parsed.password) return url;
    parsed.password = '***';
    return parsed.toString();
  } catch {
    return url;
  }
}

import { hostname, userInfo } from 'node:os';
import { UsageError } from './cli-errors';

export const DEFAULT_ADMIN_URL = 'http://127.0.0.1:8081';

/** The environment variables the CLI reads (main.ts passes `process.env`, tests their own). */
export interface CliEnvironment {
  readonly STRANGLER_ADMIN_URL?: string;
  readonly STRANGLER_ADMIN_TOKEN?: string;
  readonly STRANGLER_AUTHOR?: string;
}

export const NO_TOKEN_MESSAGE =
  'No admin token: give --token, set STRANGLER_ADMIN_TOKEN, or run the CLI from the repository root with ' +
  '`npm run -s strangler -- …` while `npm start` runs (it reads data/stack.env).';

/** Where the CLI finds the admin API and who it says it is. */
export interface Connection {
  readonly url: string;
  readonly token: string;
  readonly author: string;
}

function defaultAuthor(): string {
  try {
    return `${userInfo().username}@${hostname()}`;
  } catch {
    return `cli@${hostname()}`;
  }
}

/**
 * The connection from the global options first, then the environment, then the defaults.
 * Throws {@link UsageError} without a token or with a URL that is not http(s).
 */
export function resolveConnection(
  options: { readonly url?: string; readonly token?: string; readonly author?: string },
  env: CliEnvironment,
): Connection {
  const url = options.url ?? (env.STRANGLER_ADMIN_URL || DEFAULT_ADMIN_URL);
  try {
    const parsed = new URL(url);
    if (parsed.protocol !== 'http:' && parsed.protocol !== 'https:') throw new Error('not http');
  } catch {
    const from = options.url === undefined ? 'STRANGLER_ADMIN_URL' : '--url';
    throw new UsageError(`${from} must be an http:// or https:// URL, not ${JSON.stringify(url)}.`);
  }
  const token = options.token || env.STRANGLER_ADMIN_TOKEN;
  if (!token) throw new UsageError(NO_TOKEN_MESSAGE);
  const author = options.author || env.STRANGLER_AUTHOR || defaultAuthor();
  return { url: url.replace(/\/+$/, ''), token, author };
}

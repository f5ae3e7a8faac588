import { hostname, userInfo } from 'node:os';
import { UsageError } from './cli-errors';

export const DEFAULT_ADMIN_URL = 'http://127.0.0.1:8081';

/** Where the CLI finds the admin API and who it says it is, from options and the environment. */
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

export function resolveConnection(
  options: { url?: string; token?: string; author?: string },
  env: Readonly<Record<string, string | undefined>>,
): Connection {
  const url = options.url ?? (env.STRANGLER_ADMIN_URL || DEFAULT_ADMIN_URL);
  try {
    const parsed = new URL(url);
    if (parsed.protocol !== 'http:' && parsed.protocol !== 'https:') throw new Error('not http');
  } catch {
    throw new UsageError(`--url must be an http:// or https:// URL, not ${JSON.stringify(url)}.`);
  }
  const token = options.token ?? env.STRANGLER_ADMIN_TOKEN;
  if (!token) throw new UsageError('No admin token: give --token or set STRANGLER_ADMIN_TOKEN.');
  const author = options.author ?? (env.STRANGLER_AUTHOR || defaultAuthor());
  return { url: url.replace(/\/+$/, ''), token, author };
}

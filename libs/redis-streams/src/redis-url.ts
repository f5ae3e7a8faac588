import type { EnvVar } from '@app/service-defaults';
import { z } from 'zod';
import { StreamsError } from './errors';

/** A Redis URL as the transport reads it. */
export interface RedisUrl {
  /** The URL node-redis is given: the one read, without the `cluster` parameter. */
  readonly url: string;
  /** Whether it names a node of a Redis Cluster (`?cluster=true`) rather than a single Redis. */
  readonly cluster: boolean;
}

/**
 * What a URL says is wrong with it as a Redis URL, or `undefined` when it is one: `redis://` or
 * `rediss://`, with `cluster=true` or `cluster=false` as its only say on clustering, and on a
 * cluster no database number (a cluster has database 0 only).
 */
export function redisUrlProblem(url: string): string | undefined {
  let parsed: URL;
  try {
    parsed = new URL(url);
  } catch {
    return 'must be a URL such as redis://127.0.0.1:6379';
  }
  if (parsed.protocol !== 'redis:' && parsed.protocol !== 'rediss:') return 'must start with redis:// or rediss://';
  const values = parsed.searchParams.getAll('cluster');
  if (values.length > 1 || (values.length === 1 && values[0] !== 'true' && values[0] !== 'false')) {
    return `has cluster=${values.join('&cluster=')}: the cluster parameter is true (a node of a Redis Cluster) or false`;
  }
  if (values[0] === 'true' && parsed.pathname.replace(/^\//, '') !== '' && parsed.pathname !== '/0') {
    return `names database ${parsed.pathname.slice(1)}: a Redis Cluster has database 0 only`;
  }
  return undefined;
}

/**
 * Reads a Redis URL. `?cluster=true` says it names one node of a Redis Cluster (any node: the
 * others are found from it); without it, or with `cluster=false`, it names a single Redis.
 * Throws `STREAMS_OPTIONS_INVALID` (see {@link redisUrlProblem}).
 *
 * @example
 * parseRedisUrl('redis://redis-0.redis:6379?cluster=true') // { url: 'redis://redis-0.redis:6379', cluster: true }
 */
export function parseRedisUrl(url: string): RedisUrl {
  const problem = redisUrlProblem(url);
  if (problem) throw new StreamsError('STREAMS_OPTIONS_INVALID', `The Redis URL ${safeUrl(url)} ${problem}`);
  const parsed = new URL(url);
  const cluster = parsed.searchParams.get('cluster') === 'true';
  if (!parsed.searchParams.has('cluster')) return { url, cluster };
  parsed.searchParams.delete('cluster');
  return { url: parsed.toString(), cluster };
}

/**
 * The rule of a `REDIS_URL` variable for `parseEnv`: a `redis://` or `rediss://` URL, with
 * `?cluster=true` when it names a node of a Redis Cluster (see {@link redisUrlProblem}).
 *
 * @example
 * parseEnv(process.env, { REDIS_URL: redisUrlVar(DEFAULT_REDIS_URL) })
 */
export function redisUrlVar(defaultUrl: string): EnvVar<string> {
  return {
    allowed: `a URL with scheme redis:// or rediss://, and ?cluster=true when it names a node of a Redis Cluster (default ${defaultUrl})`,
    schema: z
      .string()
      .refine((url) => redisUrlProblem(url) === undefined)
      .optional()
      .transform((url) => url ?? defaultUrl),
  };
}

/** Whether a (valid) Redis URL names a node of a Redis Cluster. */
export function isClusterUrl(url: string): boolean {
  return parseRedisUrl(url).cluster;
}

/** The URL without its password, for messages. */
export function safeUrl(url: string): string {
  try {
    const parsed = new URL(url);
    if (parsed.password) parsed.password = '***';
    return parsed.toString();
  } catch {
    return '(invalid URL)';
  }
}

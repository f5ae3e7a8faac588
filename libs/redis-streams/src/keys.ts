import { StreamsError } from './errors';

/** Whether keys are laid out for a Redis Cluster (with hash tags) or, as always, for a single Redis. */
export interface KeyLayout {
  /** Default false: a single Redis, every key as it always was. */
  readonly cluster?: boolean;
}

/**
 * Where the keys of a group start: keys that a script, a `MULTI` block or a multi-key command
 * uses together. On a single Redis that is the prefix, so keys are what they always were. On a
 * Redis Cluster the prefix is followed by the hash tag `{<prefix><group>}`: Redis hashes only the
 * tag, so every key of the group is in one slot (on one node), while other groups, and stacks with
 * other prefixes, spread over the cluster. Keys used alone carry no tag and spread by their name.
 * On a cluster the prefix may not hold a brace (it would make a tag of its own).
 *
 * @example
 * keyGroupPrefix('ficus:', 'streams', { cluster: false }) // 'ficus:'
 * keyGroupPrefix('ficus:', 'streams', { cluster: true }) // 'ficus:{ficus:streams}'
 */
export function keyGroupPrefix(prefix: string, group: string, layout: KeyLayout = {}): string {
  if (!layout.cluster) return prefix;
  const problem = clusterPrefixProblem(prefix);
  if (problem) throw new StreamsError('STREAMS_OPTIONS_INVALID', problem);
  return `${prefix}{${prefix}${group}}`;
}

/** Why a prefix cannot be used on a Redis Cluster, or `undefined` when it can. */
export function clusterPrefixProblem(prefix: string): string | undefined {
  return /[{}]/.test(prefix)
    ? `The prefix ${JSON.stringify(prefix)} holds a brace: on a Redis Cluster keys carry hash tags of their own ({<prefix><group>}), which a brace in the prefix would replace`
    : undefined;
}

/** The group of the streams a consumer group reads together, dead-letters into and replays from. */
export const STREAMS_KEY_GROUP = 'streams';

/**
 * The Redis keys of the transport. Every key starts with the prefix (`REDIS_PREFIX`,
 * default `ficus:`), so several stacks and test runs share one Redis.
 *
 * On a Redis Cluster (`{ cluster: true }`) the requests, events, dead letters and high-water
 * marks share the hash tag `{<prefix>streams}` (see {@link keyGroupPrefix}): a service reads its
 * request stream and every event stream it consumes in one `XREADGROUP`, moves a message to its
 * dead-letter stream and acknowledges it in one `MULTI`, and a publisher's batch and its mark go
 * to one node in order. Reply streams and liveness keys, each used alone, carry no tag.
 */
export class StreamKeys {
  readonly cluster: boolean;
  private readonly streams: string;

  constructor(
    readonly prefix: string,
    layout: KeyLayout = {},
  ) {
    this.cluster = layout.cluster ?? false;
    this.streams = keyGroupPrefix(prefix, STREAMS_KEY_GROUP, layout);
  }

  /** Requests for a service; its consumer group is named after the service. */
  requests(service: string): string {
    return `${this.streams}req:${service}`;
  }

  /** Replies for one client instance; nobody else reads it. */
  replies(origin: string, instanceId: string): string {
    return `${this.prefix}rep:${origin}:${instanceId}`;
  }

  /** Events of one pattern; each consuming service has its own group on it. */
  events(pattern: string): string {
    return `${this.streams}evt:${pattern}`;
  }

  /** A publisher's high-water mark: the highest position it stored with a batch of events. */
  mark(name: string): string {
    return `${this.streams}mark:${name}`;
  }

  /** Messages of a service that kept failing, with why. */
  deadLetters(service: string): string {
    return `${this.streams}dlq:${service}`;
  }

  /**
   * The key of a name as the options give it (`streamLimits`: `evt:order.placed`,
   * `req:payments`), or as the tables of the README do (`dlq:payments`, `rep:orders:…`).
   */
  named(name: string): string {
    return /^(req|evt|dlq|mark):/.test(name) ? `${this.streams}${name}` : `${this.prefix}${name}`;
  }
}

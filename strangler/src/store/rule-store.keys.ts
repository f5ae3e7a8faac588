import { type KeyLayout, keyGroupPrefix } from '@app/redis-streams';

/** The group of the rule store's keys: its scripts write them together. */
export const RULES_KEY_GROUP = 'rules';

/**
 * The Redis keys of the rule store, all under the prefix (`REDIS_PREFIX`), so stacks and
 * test runs share one Redis. On a Redis Cluster they share the hash tag `{<prefix>rules}` right
 * after the prefix (`ficus:{ficus:rules}strangler:rules:current`), so that one script writes a
 * version, the pointer and the audit entry on one node; on a single Redis they are as they always were.
 */
export class RuleStoreKeys {
  private readonly base: string;

  constructor(
    readonly prefix: string,
    layout: KeyLayout = {},
  ) {
    this.base = `${keyGroupPrefix(prefix, RULES_KEY_GROUP, layout)}strangler:rules:`;
  }

  /** The current version's number (a string key). */
  get current(): string {
    return `${this.base}current`;
  }

  /** One immutable version: a hash of its document (JSON), author, reason, time and summary. */
  version(version: number): string {
    return `${this.base}version:${version}`;
  }

  /** The audit log: a stream with one entry per version made. */
  get audit(): string {
    return `${this.base}audit`;
  }

  /**
   * The pub/sub channel on which each new version's number is announced. A channel is no key:
   * Redis Cluster carries a message to every node, so it has no hash tag.
   */
  get changed(): string {
    return `${this.prefix}strangler:rules:changed`;
  }
}

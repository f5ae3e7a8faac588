/**
 * The Redis keys of the rule store, all under the prefix (`REDIS_PREFIX`), so stacks and
 * test runs share one Redis.
 */
export class RuleStoreKeys {
  constructor(readonly prefix: string) {}

  /** The current version's number (a string key). */
  get current(): string {
    return `${this.prefix}strangler:rules:current`;
  }

  /** One immutable version: a hash of its document (JSON), author, reason, time and summary. */
  version(version: number): string {
    return `${this.prefix}strangler:rules:version:${version}`;
  }

  /** The audit log: a stream with one entry per version made. */
  get audit(): string {
    return `${this.prefix}strangler:rules:audit`;
  }

  /** The pub/sub channel on which each new version's number is announced. */
  get changed(): string {
    return `${this.prefix}strangler:rules:changed`;
  }
}

/**
 * The Redis keys of the transport. Every key starts with the prefix (`REDIS_PREFIX`,
 * default `ficus:`), so several stacks and test runs share one Redis.
 */
export class StreamKeys {
  constructor(readonly prefix: string) {}

  /** Requests for a service; its consumer group is named after the service. */
  requests(service: string): string {
    return `${this.prefix}req:${service}`;
  }

  /** Replies for one client instance; nobody else reads it. */
  replies(origin: string, instanceId: string): string {
    return `${this.prefix}rep:${origin}:${instanceId}`;
  }

  /** Events of one pattern; each consuming service has its own group on it. */
  events(pattern: string): string {
    return `${this.prefix}evt:${pattern}`;
  }

  /** A publisher's high-water mark: the highest position it stored with a batch of events. */
  mark(name: string): string {
    return `${this.prefix}mark:${name}`;
  }

  /** Messages of a service that kept failing, with why. */
  deadLetters(service: string): string {
    return `${this.prefix}dlq:${service}`;
  }
}

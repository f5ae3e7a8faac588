import { setTimeout as sleep } from 'node:timers/promises';
import { createClient } from 'redis';
import { TEST_REDIS_URL } from '../../tools/testing/test-redis';

const connect = (url: string) => createClient({ url });
type RedisClient = ReturnType<typeof connect>;

/** How often the streams are read again while something is behind. */
const POLL_MS = 25;

interface StreamsState {
  /** Every stream's last entry, and every group's last delivered entry and pending count. */
  readonly fingerprint: string;
  /** What is not consumed yet, for the message when quiet never comes. */
  readonly behind: readonly string[];
  readonly deadLetters: readonly string[];
}

export interface QuietPointOptions {
  /**
   * What the stack's outboxes hold unpublished, one line per database with any (none: all
   * published). This makes a quiet point exact, with no still period to wait out: a handler
   * commits its own events to its outbox before it acknowledges the message, and an answered
   * request has committed its events, so once every group has acknowledged every event, every
   * outbox is published and the streams have not moved meanwhile, nothing is left to happen.
   */
  readonly unpublished: () => Promise<string[]>;
}

/**
 * Watches the integration-event streams of one stack (`<prefix>evt:*`) to find quiet points: every
 * event published, and every consumer group has read every event and acknowledged it.
 */
export class QuietPoint {
  private constructor(
    private readonly redis: RedisClient,
    private readonly prefix: string,
    private readonly options: QuietPointOptions,
  ) {}

  static async connect(prefix: string, options: QuietPointOptions): Promise<QuietPoint> {
    const redis = connect(TEST_REDIS_URL);
    redis.on('error', () => undefined);
    await redis.connect();
    return new QuietPoint(redis, prefix, options);
  }

  close(): void {
    this.redis.destroy();
  }

  /**
   * Resolves once every event is delivered and applied everywhere and `agree` (a check of the
   * services' reads against the monolith's) holds; fails at once on a dead letter, and after
   * `timeoutMs` with what was still behind.
   */
  async reach(agree: () => Promise<string[]>, timeoutMs = 30_000): Promise<void> {
    const deadline = Date.now() + timeoutMs;
    let last: StreamsState | undefined;
    let unpublished: string[] = [];
    let disagreements: string[] = [];
    for (;;) {
      const before = await this.state();
      if (before.deadLetters.length > 0) throw new Error(`Dead letters:\n${before.deadLetters.join('\n')}`);
      last = before;
      if (before.behind.length === 0) {
        unpublished = await this.options.unpublished();
        if (unpublished.length === 0) {
          const after = await this.state();
          if (after.behind.length === 0 && after.fingerprint === before.fingerprint) {
            disagreements = await agree();
            if (disagreements.length === 0) return;
          }
          last = after;
        }
      }
      if (Date.now() > deadline) {
        throw new Error(
          `No quiet point within ${timeoutMs} ms; behind: ${JSON.stringify(last.behind)}; ` +
            `unpublished: ${JSON.stringify(unpublished)}; disagreements: ${JSON.stringify(disagreements)}`,
        );
      }
      await sleep(POLL_MS);
    }
  }

  private async state(): Promise<StreamsState> {
    const fingerprint: string[] = [];
    const behind: string[] = [];
    const deadLetters: string[] = [];
    for await (const keys of this.redis.scanIterator({ MATCH: `${this.prefix}*`, COUNT: 1000, TYPE: 'stream' })) {
      for (const key of keys) {
        const name = key.slice(this.prefix.length);
        if (name.startsWith('dlq:')) {
          for (const entry of (await this.redis.xRange(key, '-', '+')) ?? []) {
            deadLetters.push(`${name}: ${JSON.stringify(entry?.message)}`);
          }
          continue;
        }
        if (!name.startsWith('evt:')) continue;
        const stream = await this.redis.xInfoStream(key);
        if (!stream) continue;
        const lastId = String(stream['last-generated-id']);
        fingerprint.push(`${name}@${lastId}`);
        for (const group of await this.redis.xInfoGroups(key)) {
          const delivered = String(group['last-delivered-id']);
          const pending = Number(group.pending);
          fingerprint.push(`${name}/${String(group.name)}@${delivered}+${pending}`);
          if (delivered !== lastId || pending > 0) {
            behind.push(`${name} for ${String(group.name)}: delivered ${delivered} of ${lastId}, ${pending} pending`);
          }
        }
      }
    }
    return { fingerprint: fingerprint.sort().join(' '), behind, deadLetters };
  }
}

import { setTimeout as sleep } from 'node:timers/promises';
import { createClient } from 'redis';
import { TEST_REDIS_URL } from '../../tools/testing/test-redis';

const connect = (url: string) => createClient({ url });
type RedisClient = ReturnType<typeof connect>;

/** How long the event streams must stay unchanged and fully consumed to count as quiet. */
const STILL_FOR_MS = 300;

interface StreamsState {
  /** Every stream's last entry, and every group's last delivered entry and pending count. */
  readonly fingerprint: string;
  /** What is not consumed yet, for the message when quiet never comes. */
  readonly behind: readonly string[];
  readonly deadLetters: readonly string[];
}

/**
 * Watches the integration-event streams of one stack (`<prefix>evt:*`) to find quiet points: no
 * event published lately, every consumer group has read every event and acknowledged it.
 */
export class QuietPoint {
  private constructor(
    private readonly redis: RedisClient,
    private readonly prefix: string,
  ) {}

  static async connect(prefix: string): Promise<QuietPoint> {
    const redis = connect(TEST_REDIS_URL);
    redis.on('error', () => undefined);
    await redis.connect();
    return new QuietPoint(redis, prefix);
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
    let disagreements: string[] = [];
    for (;;) {
      const before = await this.state();
      if (before.deadLetters.length > 0) throw new Error(`Dead letters:\n${before.deadLetters.join('\n')}`);
      if (before.behind.length === 0) {
        await sleep(STILL_FOR_MS);
        const after = await this.state();
        if (after.behind.length === 0 && after.fingerprint === before.fingerprint) {
          disagreements = await agree();
          if (disagreements.length === 0) return;
        }
        last = after;
      } else last = before;
      if (Date.now() > deadline) {
        throw new Error(
          `No quiet point within ${timeoutMs} ms; behind: ${JSON.stringify(last?.behind)}; ` +
            `disagreements: ${JSON.stringify(disagreements)}`,
        );
      }
      await sleep(100);
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

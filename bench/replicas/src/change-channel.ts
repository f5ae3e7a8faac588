import { performance } from 'node:perf_hooks';
import { createClient } from 'redis';
import { RuleStoreKeys } from '../../../strangler/src/store/rule-store.keys';

/**
 * The benchmark's own subscription to the facades' change channel (`<prefix>strangler:rules:changed`,
 * on which the rule store announces each new version's number): when each announcement reached a
 * third process on the same Redis, so that a facade's figure splits into the notification's
 * delivery and the facade's own work.
 */
export class ChangeChannel {
  private readonly heard = new Map<number, number>();
  private readonly client;

  private constructor(redisUrl: string) {
    this.client = createClient({ url: redisUrl });
    this.client.on('error', () => undefined);
  }

  static async subscribe(redisUrl: string, prefix: string): Promise<ChangeChannel> {
    const channel = new ChangeChannel(redisUrl);
    await channel.client.connect();
    await channel.client.subscribe(new RuleStoreKeys(prefix).changed, (message) => {
      const version = Number(message);
      if (!channel.heard.has(version)) channel.heard.set(version, performance.now());
    });
    return channel;
  }

  /** When the announcement of `version` arrived (`performance.now()` ms), if it has. */
  heardAt(version: number): number | undefined {
    return this.heard.get(version);
  }

  async close(): Promise<void> {
    await this.client.close().catch(() => this.client.destroy());
  }
}

import type { RedisConnection } from '@app/redis-streams';
import { CatalogServiceError } from '../catalog-errors';

/**
 * A consumer served messages this recently is taken for a running instance. Redis 7.0 refreshes a
 * consumer's idle time only when it is served entries, so an idle running instance is not seen
 * (it would then simply read the streams from the start again).
 */
export const RUNNING_CONSUMER_IDLE_MS = 3_000;

/** What happened to the group on one stream. */
export interface RewoundGroup {
  readonly stream: string;
  /** `moved` (it existed, now at the start) or `created` (at the start). */
  readonly group: 'moved' | 'created';
  /** Consumers of the old instances removed, with the messages they had pending. */
  readonly consumersRemoved: number;
}

interface ConsumerInfo {
  readonly name: string;
  readonly idleMs: number;
}

/** Refuses to go on while an instance of the group is busy reading one of the streams (best effort, see above). */
export async function assertNoRunningConsumer(
  redis: RedisConnection,
  streams: readonly string[],
  group: string,
): Promise<void> {
  for (const stream of streams) {
    const busy = (await consumersOf(redis, stream, group)).find(
      (consumer) => consumer.idleMs < RUNNING_CONSUMER_IDLE_MS,
    );
    if (busy) {
      throw new CatalogServiceError(
        'CATALOG_REBUILD_CATALOG_RUNNING',
        `A catalog instance is running: consumer ${busy.name} read ${stream} ${busy.idleMs} ms ago. ` +
          `Stop every catalog instance, wait ${RUNNING_CONSUMER_IDLE_MS / 1000} s, then run the rebuild again. Nothing was changed.`,
      );
    }
  }
}

/**
 * Moves the group back to the start of the stream (`XGROUP SETID <stream> <group> 0`, creating
 * the group, and the stream, if missing) and removes its consumers, so that the next instance
 * reads every entry still in the stream from the first.
 */
export async function rewindGroup(redis: RedisConnection, stream: string, group: string): Promise<RewoundGroup> {
  let created = false;
  try {
    await redis.sendCommand(['XGROUP', 'SETID', stream, group, '0', 'ENTRIESREAD', '0']);
  } catch (error) {
    if (!isMissing(error)) throw error;
    await redis.sendCommand(['XGROUP', 'CREATE', stream, group, '0', 'MKSTREAM', 'ENTRIESREAD', '0']);
    created = true;
  }
  const consumers = await consumersOf(redis, stream, group);
  for (const consumer of consumers) await redis.sendCommand(['XGROUP', 'DELCONSUMER', stream, group, consumer.name]);
  return { stream, group: created ? 'created' : 'moved', consumersRemoved: consumers.length };
}

async function consumersOf(redis: RedisConnection, stream: string, group: string): Promise<ConsumerInfo[]> {
  let replies: unknown[][];
  try {
    replies = (await redis.sendCommand(['XINFO', 'CONSUMERS', stream, group])) as unknown[][];
  } catch (error) {
    if (isMissing(error)) return [];
    throw error;
  }
  return replies.map((fields) => {
    const record = new Map<string, unknown>();
    for (let index = 0; index + 1 < fields.length; index += 2) record.set(String(fields[index]), fields[index + 1]);
    return { name: String(record.get('name')), idleMs: Number(record.get('idle')) };
  });
}

/** Redis's answer for a stream or group that does not exist. */
function isMissing(error: unknown): boolean {
  const message = error instanceof Error ? error.message : String(error);
  return /NOGROUP|no such key|requires the key to exist/i.test(message);
}

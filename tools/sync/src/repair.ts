import { lastValueFrom } from 'rxjs';
import { RESEND_REQUESTED, type ResendRequestMessage } from '@app/integration-events';
import { RedisStreamsClient } from '@app/redis-streams';
import type { Difference, SyncReport } from './sync-report';
import { withoutPassword } from './side-locations';
import { SyncError } from './sync-errors';

/** Who the resend requests of `--repair` say they come from. */
export const REPAIR_REQUESTER = 'sync-verify';

/** One request of a repair: the origin is asked to send the aggregate again from `fromSequence`. */
export interface RepairRequest {
  readonly origin: string;
  readonly aggregateType: string;
  readonly aggregateId: string;
  readonly fromSequence: number;
  /** The processes that lack those events (for people). */
  readonly for: readonly string[];
}

/** What `--repair` does about one check's differences. */
export interface RepairPlan {
  /** One per origin and aggregate, from the lowest sequence any side lacks. */
  readonly requests: readonly RepairRequest[];
  /**
   * Differences no resend can settle: every side applied the same events (a write outside the
   * events), so there is nothing to send again.
   */
  readonly unrepairable: readonly Difference[];
}

/**
 * The resend requests that settle a check's differences: for each aggregate and each origin
 * whose events some side has not applied (`missingEvents`), one request from the lowest
 * sequence missing anywhere. The origin publishes those events again from its outbox (or a
 * snapshot past its retention); sides that already applied some drop them by id.
 */
export function planRepair(report: SyncReport): RepairPlan {
  const requests = new Map<string, RepairRequest>();
  const unrepairable: Difference[] = [];
  for (const difference of report.kinds.flatMap((kind) => kind.differences)) {
    if (difference.missingEvents.length === 0) {
      unrepairable.push(difference);
      continue;
    }
    for (const missing of difference.missingEvents) {
      const key = JSON.stringify([missing.origin, difference.aggregateType, difference.aggregateId]);
      const known = requests.get(key);
      requests.set(key, {
        origin: missing.origin,
        aggregateType: difference.aggregateType,
        aggregateId: difference.aggregateId,
        fromSequence: Math.min(known?.fromSequence ?? missing.from, missing.from),
        for: [...new Set([...(known?.for ?? []), missing.process])],
      });
    }
  }
  return { requests: [...requests.values()], unrepairable };
}

/** Where the stack's streams are: `REDIS_URL` and `REDIS_PREFIX` as its processes have them. */
export interface StreamsLocation {
  readonly url: string;
  readonly prefix: string;
}

/**
 * Publishes each request as an `events.resend-requested` event, which every service reads and
 * its origin answers. Throws `SYNC_REDIS_UNREACHABLE` when Redis cannot be reached (then some
 * requests may have gone out: sending them again is harmless).
 */
export async function sendRepair(requests: readonly RepairRequest[], streams: StreamsLocation): Promise<void> {
  if (requests.length === 0) return;
  const client = new RedisStreamsClient({ origin: REPAIR_REQUESTER, url: streams.url, prefix: streams.prefix });
  client.on('error', () => undefined);
  try {
    await client.connect();
    for (const request of requests) {
      const message: ResendRequestMessage = {
        origin: request.origin,
        aggregateType: request.aggregateType,
        aggregateId: request.aggregateId,
        fromSequence: request.fromSequence,
        requestedBy: REPAIR_REQUESTER,
      };
      await lastValueFrom(client.emit(RESEND_REQUESTED, message));
    }
  } catch (error) {
    throw new SyncError(
      'SYNC_REDIS_UNREACHABLE',
      `could not ask the origins to send again through Redis at ${withoutPassword(streams.url)} (REDIS_URL): ` +
        `${error instanceof Error ? error.message : String(error)}`,
    );
  } finally {
    await client.close();
  }
}

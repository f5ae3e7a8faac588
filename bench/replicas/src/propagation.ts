import { setTimeout as sleep } from 'node:timers/promises';
import type { ChangeChannel } from './change-channel';
import type { ChangeAnswer, FacadeAdmin } from './facade-admin';

/** One rule change made through one facade, and when each facade showed it. */
export interface ChangeSample {
  /** Which facade took the write, and which only heard of it (instances, 1-based). */
  readonly writer: number;
  readonly other: number;
  readonly version: number;
  /** The write's round trip (`PATCH` sent → its answer read), ms. */
  readonly writeMs: number;
  /** The write's answer → the first status answer of that facade showing the new version, ms. */
  readonly writerMs: number;
  readonly otherMs: number;
  /**
   * The write's answer → the benchmark's own subscriber hearing the version announced on the
   * change channel, ms (negative: before the answer); null if it never did.
   */
  readonly notifiedMs: number | null;
  /** Status requests it took each facade (1: the first already showed it). */
  readonly writerPolls: number;
  readonly otherPolls: number;
}

/** How a change is awaited: for how long at most, and the pause between two status requests (0: none). */
export interface PollOptions {
  readonly timeoutMs: number;
  readonly gapMs: number;
}

/**
 * Asks `facade` for its status until it routes with `version`: the time from `from` to the
 * answer that shows it. Back-to-back (`gapMs` 0), the resolution is one status round trip.
 */
async function pollUntil(
  facade: FacadeAdmin,
  version: number,
  from: number,
  { timeoutMs, gapMs }: PollOptions,
): Promise<{ ms: number; polls: number }> {
  for (let polls = 1; ; polls++) {
    if (polls > 1 && gapMs > 0) await sleep(gapMs);
    const reading = await facade.status();
    if (reading.activeVersion >= version) return { ms: reading.answeredAt - from, polls };
    if (reading.answeredAt - from > timeoutMs) {
      throw new Error(
        `${facade.name} still routed with version ${reading.activeVersion} ${timeoutMs} ms after version ${version} was written`,
      );
    }
  }
}

/**
 * Sets the group's `timeoutMs` through facade `writer` (index into `facades`), expecting
 * `expectedVersion`, then polls both facades at once, each back-to-back, until each shows it.
 */
export async function measureChange(
  facades: readonly FacadeAdmin[],
  channel: ChangeChannel,
  writer: number,
  change: { readonly group: string; readonly timeoutMs: number; readonly expectedVersion: number },
  poll: PollOptions,
): Promise<ChangeSample> {
  const other = (writer + 1) % facades.length;
  const answer: ChangeAnswer = await facades[writer]!.setGroupTimeout(
    change.group,
    change.timeoutMs,
    change.expectedVersion,
  );
  const [mine, theirs] = await Promise.all(
    [facades[writer]!, facades[other]!].map((facade) => pollUntil(facade, answer.version, answer.answeredAt, poll)),
  );
  const heardAt = channel.heardAt(answer.version);
  return {
    writer: writer + 1,
    other: other + 1,
    version: answer.version,
    writeMs: answer.answeredAt - answer.sentAt,
    writerMs: mine!.ms,
    otherMs: theirs!.ms,
    notifiedMs: heardAt === undefined ? null : heardAt - answer.answeredAt,
    writerPolls: mine!.polls,
    otherPolls: theirs!.polls,
  };
}

/**
 * The status round trip alone, with no change under way: `samples` requests to each facade, both
 * facades at once and each back-to-back, as while a change is awaited. Round trips in ms.
 */
export async function measureStatusRoundTrips(facades: readonly FacadeAdmin[], samples: number): Promise<number[]> {
  const perFacade = await Promise.all(
    facades.map(async (facade) => {
      const trips: number[] = [];
      for (let n = 0; n < samples; n++) {
        const reading = await facade.status();
        trips.push(reading.answeredAt - reading.sentAt);
      }
      return trips;
    }),
  );
  return perFacade.flat();
}

/** Waits until every facade routes with the same version, and returns it. */
export async function agreedVersion(facades: readonly FacadeAdmin[], timeoutMs: number): Promise<number> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const versions = await Promise.all(facades.map(async (facade) => (await facade.status()).activeVersion));
    if (versions.every((version) => version === versions[0])) return versions[0]!;
    if (Date.now() > deadline) {
      throw new Error(`The facades still route with different versions (${versions.join(', ')}) after ${timeoutMs} ms`);
    }
    await sleep(50);
  }
}

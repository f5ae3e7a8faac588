import { sumSamples } from './prometheus';
import type { ServiceProcess } from './services';

/** How long requests waited for the positions of `x-ficus-await`, by outcome (`libs/outbox`). */
const WAIT_HISTOGRAM = 'consistency_wait_seconds';
/** Requests answered before every awaited position was applied (`x-ficus-consistency: stale`). */
const STALE_COUNTER = 'consistency_stale_total';

/**
 * What a side did with `x-ficus-await` so far (or in a round): requests that awaited positions
 * of other origins (a request whose header names none, or none the side applies, is not
 * counted), their total wait, and those answered stale.
 */
export interface Awaits {
  readonly awaited: number;
  readonly waitSeconds: number;
  readonly stale: number;
}

/** The side's counts from its `/metrics`; undefined when it has none (a side that does not wait for positions). */
export async function readAwaits(service: ServiceProcess): Promise<Awaits | undefined> {
  const response = await fetch(`${service.url}/metrics`, { signal: AbortSignal.timeout(10_000) });
  if (response.status !== 200) throw service.failure(`answered /metrics with ${response.status}`);
  const text = await response.text();
  const stale = sumSamples(text, STALE_COUNTER);
  if (Number.isNaN(stale)) return undefined;
  // A histogram with labels shows no sample before its first observation.
  const orZero = (value: number) => (Number.isNaN(value) ? 0 : value);
  return {
    awaited: orZero(sumSamples(text, `${WAIT_HISTOGRAM}_count`)),
    waitSeconds: orZero(sumSamples(text, `${WAIT_HISTOGRAM}_sum`)),
    stale,
  };
}

export function awaitsBetween(before: Awaits | undefined, after: Awaits | undefined): Awaits | undefined {
  if (!before || !after) return undefined;
  return {
    awaited: after.awaited - before.awaited,
    waitSeconds: after.waitSeconds - before.waitSeconds,
    stale: after.stale - before.stale,
  };
}

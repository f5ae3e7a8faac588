import { setTimeout as sleep } from 'node:timers/promises';
import { type BenchConfig, GROUP } from './config';
import type { ChangeChannel } from './change-channel';
import type { FacadeAdmin } from './facade-admin';
import { type ChangeSample, agreedVersion, measureChange, measureStatusRoundTrips } from './propagation';

/** Changes made before the rounds, not counted: the first ones pay for cold code paths and connections. */
const WARMUP_CHANGES = 4;

/** One round: its changes (writers alternating) and the status round trips measured before them. */
export interface RoundSamples {
  readonly round: number;
  readonly changes: readonly ChangeSample[];
  readonly statusRoundTrips: readonly number[];
}

/**
 * Makes the rule changes of a variant on a running two-facade stack: a warm-up, then the rounds.
 * Each change sets the group's `timeoutMs` to a value it has not had (so each makes a new
 * version), through facade 1 and facade 2 in turn (the first writer alternating from round to
 * round), and waits until both route with it; `onRound` hears of each round as it ends.
 */
export async function runRounds(
  facades: readonly FacadeAdmin[],
  channel: ChangeChannel,
  config: BenchConfig,
  onRound: (round: RoundSamples) => void,
): Promise<RoundSamples[]> {
  let version = await agreedVersion(facades, config.changeTimeoutMs);
  let next = 1_000;
  const change = async (writer: number) => {
    const sample = await measureChange(
      facades,
      channel,
      writer,
      { group: GROUP, timeoutMs: next++, expectedVersion: version },
      { timeoutMs: config.changeTimeoutMs, gapMs: config.pollGapMs },
    );
    version = sample.version;
    if (config.pauseMs > 0) await sleep(config.pauseMs);
    return sample;
  };
  for (let n = 0; n < WARMUP_CHANGES; n++) await change(n % facades.length);
  const rounds: RoundSamples[] = [];
  for (let round = 1; round <= config.rounds; round++) {
    const statusRoundTrips = await measureStatusRoundTrips(facades, config.statusSamples);
    const changes: ChangeSample[] = [];
    for (let n = 0; n < config.changes; n++) changes.push(await change((n + round) % facades.length));
    const samples = { round, changes, statusRoundTrips };
    onRound(samples);
    rounds.push(samples);
  }
  return rounds;
}

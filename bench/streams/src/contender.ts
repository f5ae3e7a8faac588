import type { LatencyRecorder } from '../../common/src/stats';

/** One way of moving messages through Redis, measured by the same rounds as the others. */
export interface Contender {
  /** Key in the result JSON. */
  readonly name: string;
  start(): Promise<void>;
  /** Sends `count` events and resolves with the wall time (ms) until all were handled (and acked). */
  eventsRound(count: number): Promise<number>;
  /** Makes `count` requests from `callers` concurrent callers; resolves with the wall time (ms). */
  requestsRound(count: number, callers: number, latencies: LatencyRecorder): Promise<number>;
  stop(): Promise<void>;
}

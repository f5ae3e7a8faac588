/** How the coordinator drives the load generator's process over IPC. */

export interface Customer {
  readonly id: string;
  readonly token: string;
}

/** What the load generator is started with (once per round: the ports and tokens change). */
export interface LoadTarget {
  /** The facade's data plane, e.g. `http://127.0.0.1:40125`. */
  readonly baseUrl: string;
  readonly adminToken: string;
  readonly customers: readonly Customer[];
  readonly products: readonly string[];
  readonly rate: number;
  readonly maxInFlight: number;
}

/** Writes per aggregate: applied (answered 2xx) and uncertain (5xx or no answer: maybe applied, maybe not). */
export interface WriteTally {
  /** Sum of the amounts answered 2xx, by aggregate id. */
  readonly applied: Record<string, number>;
  /** Sums of the positive and of the negative amounts with no certain answer, by aggregate id. */
  readonly uncertainUp: Record<string, number>;
  readonly uncertainDown: Record<string, number>;
  /** How many writes had no certain answer. */
  uncertain: number;
}

/** What the load did between `begin` and `end`. */
export interface LoadResult {
  readonly seconds: number;
  /** Requests sent, and requests the schedule wanted but `maxInFlight` held back. */
  readonly sent: number;
  readonly skipped: number;
  /** Answers by class; `errors`: no HTTP answer (connection refused or reset, timeout). */
  readonly ok: number;
  readonly clientErrors: number;
  readonly serverErrors: number;
  readonly errors: number;
  /** 2xx answers and all answers per second, before `mark` (the steady part) and over the whole load. */
  readonly steady: { readonly seconds: number; readonly okPerSecond: number; readonly sentPerSecond: number };
  readonly okPerSecond: number;
  readonly sentPerSecond: number;
  /** Latency of the 2xx answers, ms. */
  readonly p50Ms: number;
  readonly p99Ms: number;
  readonly deposits: WriteTally;
  readonly stock: WriteTally;
}

export type Command =
  | ({ readonly type: 'begin' } & LoadTarget)
  /** The steady part ends here (the fault starts). */
  | { readonly type: 'mark' }
  /** Stop sending, wait for the answers of what was sent, and report. */
  | { readonly type: 'end' }
  | { readonly type: 'stop' };

export type Reply =
  | { readonly type: 'ready' }
  | { readonly type: 'begun' }
  | { readonly type: 'marked' }
  | ({ readonly type: 'result' } & LoadResult)
  | { readonly type: 'stopped' }
  | { readonly type: 'failed'; readonly error: string };

export const describeError = (error: unknown) =>
  error instanceof Error ? (error.stack ?? error.message) : String(error);

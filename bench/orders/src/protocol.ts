/** How the coordinator drives the load generator's process over IPC. */

export interface Customer {
  readonly id: string;
  readonly token: string;
}

/** Who orders what, through which facade. */
export interface OrderTarget {
  /** The facade's data plane, e.g. `http://127.0.0.1:40125`. */
  readonly baseUrl: string;
  readonly customers: readonly Customer[];
  readonly products: readonly string[];
  readonly seconds: number;
}

/** Closed loop: `concurrency` clients, client _i_ ordering for customer _i_, each placing its next order once the last is answered. */
export interface ClosedLoop extends OrderTarget {
  readonly type: 'closed';
  readonly concurrency: number;
}

/** Open loop: order _n_ is due at _n_ / `rate` s, whatever became of the earlier ones, for a customer with no order unanswered. */
export interface OpenLoop extends OrderTarget {
  readonly type: 'open';
  readonly rate: number;
}

/** What one load phase did. */
export interface LoadResult {
  /** From the first order sent to the end of the phase (orders still unanswered then are awaited, not counted). */
  readonly seconds: number;
  readonly sent: number;
  /** Answered `201` with `status: APPROVED` within the phase: the orders that count. */
  readonly approved: number;
  readonly approvedPerSecond: number;
  /** Orders sent per second (the open loop's achieved rate). */
  readonly sentPerSecond: number;
  /** Latency of the approved orders (sent → whole answer read), ms; null when none. */
  readonly p50Ms: number | null;
  readonly p99Ms: number | null;
  readonly maxMs: number | null;
  /** Every other outcome, counted: `201 PENDING`, `201 REJECTED`, `HTTP 503`, `no answer (UND_ERR_…)`. */
  readonly errors: number;
  readonly outcomes: Readonly<Record<string, number>>;
  /** Answers by the facade's `x-strangler-upstream` (who served the order). */
  readonly upstreams: Readonly<Record<string, number>>;
  /** Open loop: orders due while every customer had one unanswered (not sent), and how late the sender was at worst. */
  readonly skipped: number;
  readonly maxLateMs: number;
}

export type Command = ClosedLoop | OpenLoop | { readonly type: 'stop' };

export type Reply =
  | { readonly type: 'ready' }
  | ({ readonly type: 'result' } & LoadResult)
  | { readonly type: 'stopped' }
  | { readonly type: 'failed'; readonly error: string };

export const describeError = (error: unknown) =>
  error instanceof Error ? (error.stack ?? error.message) : String(error);

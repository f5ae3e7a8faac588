import type { IncomingMessage, ServerResponse } from 'node:http';
import { performance } from 'node:perf_hooks';
import type { CompiledRuleSet, RoutingDecision } from '../rules';
import type { CallOutcome } from './circuit-breaker';
import { type DataPlaneContext, describe } from './data-plane.context';
import type { DataPlaneErrorCode } from './data-plane.errors';
import type { UpstreamErrorKind } from './data-plane.metrics';
import { sendError } from './error-response';
import { ClientAbortedError, PayloadTooLargeError, RequestBody } from './request-body';
import { type InternalResponseHeaders, type ResponseTags, clientResponseHeaders, tagHeaders } from './response-headers';
import { recordPositions } from './consistency/record-positions';
import type { SentPositions } from './consistency/await-positions';
import { type AttemptOwner, UpstreamAttempt } from './upstream-attempt';
import { canReplay } from './replay-policy';

const STATUS_CLASSES = ['0xx', '1xx', '2xx', '3xx', '4xx', '5xx'];
export const statusClass = (status: number) => STATUS_CLASSES[Math.floor(status / 100)] ?? 'other';

const RETRY_BACKOFF_MS = 25;
/** The end of a held answer. */
const COMPLETE = Symbol('complete');
const MAX_RETRY_BACKOFF_MS = 250;

class UpstreamTimeoutError extends Error {
  readonly code = 'STRANGLER_UPSTREAM_TIMEOUT';
}

type Step = 'failover' | 'retry' | 'fallback';

/** What a failed attempt means for the answer, when no other attempt follows. */
const FINAL_ERRORS: Record<UpstreamErrorKind, { code: DataPlaneErrorCode; message: (upstream: string) => string }> = {
  connect: { code: 'UPSTREAM_UNAVAILABLE', message: (u) => `The upstream ${u} could not be reached.` },
  reset: { code: 'UPSTREAM_UNAVAILABLE', message: (u) => `The upstream ${u} closed the connection without answering.` },
  timeout: { code: 'UPSTREAM_TIMEOUT', message: (u) => `The upstream ${u} did not answer in time.` },
  circuit_open: { code: 'UPSTREAM_CIRCUIT_OPEN', message: (u) => `The upstream ${u} is failing; its circuit is open.` },
};

function onExchangeTimer(exchange: ProxyExchange): void {
  exchange.checkTimeout();
}

/**
 * One client request on its way through the facade: it calls the decided upstream, and on
 * failure (before any byte of the answer went out) fails over to another URL of that
 * upstream, retries it, or falls back to legacy, as the route and the request allow (see
 * `canReplay`). Bodies stream both ways under backpressure; nothing is buffered.
 *
 * Each attempt is timed by the route's `timeoutMs`: from its start to the response headers,
 * and then while streaming as the longest pause without progress in either direction.
 */
export class ProxyExchange implements AttemptOwner {
  private readonly routeId: string;
  private readonly timeoutMs: number;
  private readonly hasBody: boolean;
  private readonly idempotent: boolean;
  private upstream: string;
  private attempt: UpstreamAttempt | undefined;
  private body: RequestBody | undefined;
  private tried: Set<string> | undefined;
  private retriesLeft: number;
  private retriesDone = 0;
  private fellBack = false;
  private responded = false;
  private done = false;
  private status = 0;
  private lastActivity: number;
  private timer: NodeJS.Timeout | undefined;
  private pendingStep: NodeJS.Timeout | undefined;
  private resumeUpstream: (() => void) | undefined;
  /** While a write's positions are being kept: what of its answer came meanwhile (`COMPLETE` for its end). */
  private held: (Buffer | typeof COMPLETE)[] | undefined;

  constructor(
    private readonly context: DataPlaneContext,
    private readonly req: IncomingMessage,
    private readonly res: ServerResponse,
    private readonly rules: CompiledRuleSet,
    private readonly decision: RoutingDecision,
    private readonly path: string,
    private readonly headers: string[],
    private readonly requestId: string,
    private readonly startedAt: number,
    private readonly bodyLimit: number | undefined,
    hasBody: boolean,
    private readonly sent?: SentPositions,
  ) {
    this.routeId = decision.route?.id ?? '-';
    this.timeoutMs = decision.timeoutMs;
    this.upstream = decision.upstream;
    this.retriesLeft = decision.retries;
    this.hasBody = hasBody;
    this.idempotent = canReplay(req);
    this.lastActivity = startedAt;
    res.on('close', this.onClose);
  }

  start(): void {
    this.send(this.decision.upstream);
  }

  // --- attempts ---------------------------------------------------------------------------

  private send(upstream: string): void {
    this.pendingStep = undefined;
    if (this.done) return;
    if (upstream !== this.upstream) this.tried = undefined;
    this.upstream = upstream;
    const breaker = this.context.breakers.get(upstream);
    let probe = false;
    if (breaker) {
      const admission = breaker.admit(Date.now());
      if (admission === 'reject') return this.failed('circuit_open', false, upstream);
      probe = admission === 'probe';
    }
    const urls = this.rules.upstreamUrls.get(upstream);
    const url = urls ? this.context.pools.pick(upstream, urls, Date.now(), this.tried) : undefined;
    if (url === undefined) {
      if (probe) breaker?.releaseProbe();
      return this.failed('connect', false, upstream);
    }
    if (urls && urls.length > 1) (this.tried ??= new Set()).add(url);
    const now = performance.now();
    const attempt = new UpstreamAttempt(this, upstream, url, breaker, probe, now);
    this.attempt = attempt;
    this.lastActivity = now;
    if (this.timer === undefined) this.timer = setTimeout(onExchangeTimer, this.timeoutMs, this);
    let body: RequestBody | null = null;
    if (this.hasBody) body = this.body = new RequestBody(this.req, this.bodyLimit, this.touch);
    try {
      this.context.pools
        .pool(url)
        .dispatch({ path: this.path, method: this.req.method as string, headers: this.headers, body }, attempt);
    } catch (error) {
      attempt.onError(error as Error);
    }
  }

  /** Called by the timer: gives up on an attempt that made no progress for `timeoutMs`. */
  checkTimeout(): void {
    this.timer = undefined;
    const attempt = this.attempt;
    if (this.done || !attempt || attempt.settled) return;
    const idle = performance.now() - this.lastActivity;
    if (idle < this.timeoutMs - 1) {
      this.timer = setTimeout(onExchangeTimer, this.timeoutMs - idle, this);
      return;
    }
    attempt.timedOut = true;
    const error = new UpstreamTimeoutError(`no progress for ${this.timeoutMs} ms`);
    attempt.cancel(error);
    this.attemptError(attempt, error);
  }

  private readonly touch = () => {
    this.lastActivity = performance.now();
  };

  attemptHeaders(attempt: UpstreamAttempt, status: number, raw: Buffer[], resume: () => void, text: string): boolean {
    // 1xx informational answers are not relayed; the final answer follows.
    if (status < 200) return true;
    const now = performance.now();
    this.lastActivity = now;
    if (!attempt.connected) attempt.connected = true;
    this.context.pools.markUp(attempt.url);
    const outcome: CallOutcome = status >= 500 ? 'error' : 'ok';
    this.observe(attempt, outcome, now);
    if (outcome === 'error') {
      const step = this.nextStep('reset', attempt.upstream, false);
      if (step) {
        attempt.cancel(new Error(`answered ${status}; trying again`));
        this.context.debug(`${this.requestId}: ${attempt.upstream} answered ${status}; ${step}`);
        this.take(step, `status_${status}`);
        return false;
      }
    }
    this.responded = true;
    this.status = status;
    this.resumeUpstream = resume;
    const internal: InternalResponseHeaders = {};
    const headers = clientResponseHeaders(raw, this.tags(attempt.upstream), false, internal);
    // An upstream that answers before the request body is in leaves the rest unread: the
    // connection cannot carry another request, so it closes after this answer.
    if (this.context.closing || (this.hasBody && !this.req.complete)) headers.push('connection', 'close');
    const consistency = this.context.options.consistency;
    // The upstream reflects what the request awaited: later reads routed there need not carry it.
    if (internal.applied && consistency && this.sent?.pending) {
      void consistency.markApplied(attempt.upstream, this.sent.pending);
    }
    if (internal.positions !== undefined && consistency) {
      // A write's positions are kept before its answer goes out: a read sent after the answer finds them.
      this.held = [];
      void recordPositions(consistency, internal.positions, this.requestId, this.context).then(() =>
        this.release(attempt, status, text, headers),
      );
      return true;
    }
    return this.relayHead(attempt, status, text, headers);
  }

  /** Writes the answer's head; an upstream head Node refuses becomes `502 UPSTREAM_UNAVAILABLE`. */
  private relayHead(attempt: UpstreamAttempt, status: number, text: string, headers: string[]): boolean {
    try {
      if (text) this.res.writeHead(status, text, headers);
      else this.res.writeHead(status, headers);
      return true;
    } catch (error) {
      attempt.cancel(error as Error);
      this.responded = false;
      this.context.warn(`${this.requestId}: the answer of ${attempt.upstream} cannot be relayed (${describe(error)})`);
      this.answerError('UPSTREAM_UNAVAILABLE', `The upstream ${attempt.upstream} answered with invalid headers.`);
      return false;
    }
  }

  /** The held answer goes out: its head, the body that came meanwhile, and its end if it came. */
  private release(attempt: UpstreamAttempt, status: number, text: string, headers: string[]): void {
    const held = this.held;
    this.held = undefined;
    if (this.done || !held) return;
    this.lastActivity = performance.now();
    if (!this.relayHead(attempt, status, text, headers)) return;
    let more = true;
    for (const chunk of held) if (chunk !== COMPLETE) more = this.res.write(chunk);
    if (held.at(-1) === COMPLETE) return this.attemptComplete();
    if (more) this.resumeUpstream?.();
    else this.res.once('drain', this.onDrain);
  }

  attemptData(_attempt: UpstreamAttempt, chunk: Buffer): boolean {
    this.lastActivity = performance.now();
    if (this.held) {
      // Paused until the head goes out (`release` resumes).
      this.held.push(chunk);
      return false;
    }
    const more = this.res.write(chunk);
    if (!more && this.resumeUpstream) {
      this.res.once('drain', this.onDrain);
    }
    return more;
  }

  attemptComplete(): void {
    if (this.held) {
      this.held.push(COMPLETE);
      return;
    }
    this.res.end();
    this.finish();
  }

  attemptError(attempt: UpstreamAttempt, error: Error): void {
    if (this.done) return;
    if (error instanceof ClientAbortedError) return this.abandon();
    if (error instanceof PayloadTooLargeError) {
      this.unobserved(attempt);
      if (this.responded) return this.cut();
      return this.answerError('PAYLOAD_TOO_LARGE', `The request body is larger than ${error.limit} bytes.`);
    }
    const kind: UpstreamErrorKind = attempt.timedOut ? 'timeout' : attempt.connected ? 'reset' : 'connect';
    if (kind === 'connect') this.context.pools.markDown(attempt.url, Date.now(), error);
    this.observe(attempt, 'failure', performance.now());
    this.context.debug(`${this.requestId}: ${attempt.upstream} (${attempt.url}) ${kind}: ${describe(error)}`);
    if (this.responded) {
      this.context.metrics.upstreamErrors.inc({ upstream: attempt.upstream, kind });
      return this.cut();
    }
    this.failed(kind, attempt.connected, attempt.upstream);
  }

  /**
   * Breaker and guard bookkeeping for an attempt's outcome, once: a response whose headers
   * came in counts as answered, even if its body breaks later.
   */
  private observe(attempt: UpstreamAttempt, outcome: CallOutcome, now: number): void {
    if (attempt.observed) return;
    attempt.observed = true;
    attempt.breaker?.record(outcome, attempt.probe, Date.now());
    const route = this.decision.route;
    if (route?.guard && attempt.upstream === route.target) {
      this.context.guards.record(route.id, route.target, now - attempt.startedAt, outcome !== 'ok', Date.now());
    }
  }

  // --- failures ---------------------------------------------------------------------------

  private failed(kind: UpstreamErrorKind, sent: boolean, upstream: string): void {
    this.context.metrics.upstreamErrors.inc({ upstream, kind });
    const step = this.nextStep(kind, upstream, kind === 'connect' && !sent);
    if (step) return this.take(step, kind);
    const final = FINAL_ERRORS[kind];
    this.answerError(final.code, final.message(upstream));
  }

  /**
   * What to try after a failure, if anything. A call that never reached a connection can go
   * to another URL of the same upstream whatever the request (nothing was sent). Retries and
   * the fallback to legacy send the request again, so they are only for requests that may be
   * replayed (`canReplay`) and whose body, if any, was not read yet.
   */
  private nextStep(kind: UpstreamErrorKind, upstream: string, unsent: boolean): Step | undefined {
    const bodyFresh = !this.body || !this.body.started;
    if (unsent && bodyFresh) {
      const urls = this.rules.upstreamUrls.get(upstream);
      if (urls && urls.length > 1 && urls.some((url) => !this.tried?.has(url))) return 'failover';
    }
    if (!this.idempotent || !bodyFresh) return undefined;
    if (upstream !== this.decision.upstream) return undefined;
    if (kind !== 'circuit_open' && this.retriesLeft > 0) return 'retry';
    if (this.decision.side === 'target' && this.decision.fallback && !this.fellBack) return 'fallback';
    return undefined;
  }

  private take(step: Step, reason: string): void {
    const route = this.routeId;
    const metrics = this.context.metrics;
    this.attempt = undefined;
    if (this.body) {
      this.body.destroy();
      this.body = undefined;
    }
    if (step === 'failover') {
      this.pendingStep = setTimeout(() => this.send(this.upstream), 0);
    } else if (step === 'retry') {
      this.retriesLeft--;
      this.tried = undefined;
      metrics.retries.inc({ route, upstream: this.upstream });
      const backoff = Math.min(RETRY_BACKOFF_MS * 2 ** this.retriesDone++, MAX_RETRY_BACKOFF_MS);
      this.pendingStep = setTimeout(() => this.send(this.upstream), backoff * (0.5 + Math.random() / 2));
    } else {
      this.fellBack = true;
      metrics.fallbacks.inc({ route, from: this.upstream, reason });
      this.pendingStep = setTimeout(() => this.send(this.decision.legacy), 0);
    }
  }

  // --- answers ----------------------------------------------------------------------------

  private tags(upstream: string): ResponseTags {
    return {
      requestId: this.requestId,
      routing: this.context.options.routingHeaders ? { route: this.routeId, upstream } : undefined,
    };
  }

  private answerError(code: DataPlaneErrorCode, message: string): void {
    if (this.responded) return this.cut();
    this.responded = true;
    const headers = tagHeaders(this.tags(this.upstream));
    // A body not read to its end would block the connection: close it after the answer.
    const close = (this.hasBody && !this.req.complete) || this.context.closing;
    try {
      sendError(this.res, code, message, headers, close);
      this.status = this.res.statusCode;
    } catch (error) {
      this.context.error(`${this.requestId}: cannot answer ${code}`, error);
      this.res.destroy();
    }
    this.finish();
  }

  /** The answer already started and cannot be completed: the client sees a broken response. */
  private cut(): void {
    this.status = 0;
    this.res.destroy();
    this.finish();
  }

  private readonly onDrain = () => {
    this.lastActivity = performance.now();
    this.resumeUpstream?.();
  };

  private finish(): void {
    if (this.done) return;
    this.done = true;
    this.stopTimers();
    const upstream = this.upstream;
    const route = this.routeId;
    const metrics = this.context.metrics;
    const status = this.status;
    metrics.requests.inc({ route, upstream, status_class: status === 0 ? 'aborted' : statusClass(status) });
    metrics.duration.observe({ route, upstream }, (performance.now() - this.startedAt) / 1000);
    this.context.traffic.record(route, upstream, Date.now());
  }

  /** An attempt ends without an outcome to count (the client's doing): a probe it held is freed. */
  private unobserved(attempt: UpstreamAttempt): void {
    if (attempt.observed) return;
    attempt.observed = true;
    if (attempt.probe) attempt.breaker?.releaseProbe();
  }

  /** The client went away: stop whatever is under way. */
  private abandon(): void {
    if (this.done) return;
    const attempt = this.attempt;
    if (attempt) {
      attempt.cancel(new ClientAbortedError());
      this.unobserved(attempt);
    }
    this.body?.destroy();
    this.status = 0;
    this.finish();
  }

  private stopTimers(): void {
    if (this.timer !== undefined) clearTimeout(this.timer);
    if (this.pendingStep !== undefined) clearTimeout(this.pendingStep);
    this.timer = this.pendingStep = undefined;
  }

  private readonly onClose = () => {
    if (!this.done) this.abandon();
  };
}

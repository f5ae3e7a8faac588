import type { Dispatcher } from 'undici';
import type { CircuitBreaker } from './circuit-breaker';

/** What an attempt reports to the exchange that owns it. */
export interface AttemptOwner {
  attemptHeaders(attempt: UpstreamAttempt, status: number, raw: Buffer[], resume: () => void, text: string): boolean;
  attemptData(attempt: UpstreamAttempt, chunk: Buffer): boolean;
  attemptComplete(attempt: UpstreamAttempt): void;
  attemptError(attempt: UpstreamAttempt, error: Error): void;
}

/**
 * One call to one upstream URL, as an undici dispatch handler. It uses the handler
 * interface undici's HTTP/1.1 client speaks natively (`onConnect`, `onHeaders` with raw
 * headers, `onData`, `onComplete`, `onError`): no adapter or header parsing on the way.
 *
 * Once `cancel`led (or settled), nothing more reaches the owner: a late callback from a
 * call the exchange gave up on cannot touch a response that another attempt now serves.
 */
export class UpstreamAttempt implements Dispatcher.DispatchHandler {
  /** Whether the request went on a connection (undici calls `onConnect` just before writing it). */
  connected = false;
  /** Whether the exchange is done with this attempt. */
  settled = false;
  timedOut = false;
  /** Whether its outcome went to the breaker and the guard (once: at the headers, or at the failure). */
  observed = false;
  readonly startedAt: number;
  private abortCall?: (error?: Error) => void;
  private cancelledWith?: Error;

  constructor(
    private readonly owner: AttemptOwner,
    readonly upstream: string,
    readonly url: string,
    readonly breaker: CircuitBreaker | undefined,
    readonly probe: boolean,
    now: number,
  ) {
    this.startedAt = now;
  }

  /** Stops the call; the owner hears nothing more of it. */
  cancel(error: Error): void {
    if (this.settled) return;
    this.settled = true;
    this.cancelledWith = error;
    this.abortCall?.(error);
  }

  onConnect(abort: (error?: Error) => void): void {
    if (this.settled) {
      abort(this.cancelledWith);
      return;
    }
    this.abortCall = abort;
    this.connected = true;
  }

  onHeaders(status: number, raw: Buffer[], resume: () => void, text: string): boolean {
    return this.settled ? false : this.owner.attemptHeaders(this, status, raw, resume, text);
  }

  onData(chunk: Buffer): boolean {
    return this.settled ? false : this.owner.attemptData(this, chunk);
  }

  onComplete(): void {
    if (this.settled) return;
    this.settled = true;
    this.owner.attemptComplete(this);
  }

  onError(error: Error): void {
    if (this.settled) return;
    this.settled = true;
    this.owner.attemptError(this, error);
  }

  onUpgrade(): void {
    // Only upgrade requests (WebSocket) expect this, and they use their own handler.
    this.onError(new Error('the upstream switched protocols unasked'));
  }
}

import type { IncomingMessage } from 'node:http';
import { Readable } from 'node:stream';

/** The request body passed the facade's limit (a chunked body, counted as it streams). */
export class PayloadTooLargeError extends Error {
  readonly code = 'STRANGLER_PAYLOAD_TOO_LARGE';
  constructor(readonly limit: number) {
    super(`the request body is larger than ${limit} bytes`);
  }
}

/** The client went away before its request body was complete. */
export class ClientAbortedError extends Error {
  readonly code = 'STRANGLER_CLIENT_ABORTED';
  constructor() {
    super('the client closed the connection');
  }
}

/**
 * The request body as it goes upstream: the client's stream, read only as fast as the
 * upstream takes it (nothing is buffered beyond the stream's high-water mark), counted
 * against a limit when its length was not declared.
 *
 * The client's request is never handed to the HTTP client itself: when an upstream call
 * fails, the client destroys its body stream, and that must not cut the client's
 * connection before it gets its error answer. So the client stream is wrapped, and the
 * wrapper lets go of it when destroyed.
 */
export class RequestBody extends Readable {
  /** Whether anything was read from the client: after that, the body cannot be sent again. */
  started = false;
  private received = 0;

  constructor(
    private readonly source: IncomingMessage,
    private readonly limit: number | undefined,
    private readonly onProgress: () => void,
  ) {
    super();
  }

  override _read(): void {
    if (!this.started) {
      this.started = true;
      this.source.on('data', this.onData);
      this.source.on('end', this.onEnd);
      this.source.on('error', this.onAbort);
      this.source.on('close', this.onClose);
    }
    this.source.resume();
  }

  override _destroy(error: Error | null, callback: (error?: Error | null) => void): void {
    this.detach();
    callback(error);
  }

  private readonly onData = (chunk: Buffer) => {
    this.received += chunk.length;
    if (this.limit !== undefined && this.received > this.limit) {
      this.source.pause();
      this.destroy(new PayloadTooLargeError(this.limit));
      return;
    }
    this.onProgress();
    if (!this.push(chunk)) this.source.pause();
  };

  private readonly onEnd = () => {
    this.detach();
    this.push(null);
  };

  private readonly onAbort = () => this.destroy(new ClientAbortedError());

  private readonly onClose = () => {
    if (!this.source.complete) this.onAbort();
  };

  private detach(): void {
    if (!this.started) return;
    this.source.off('data', this.onData);
    this.source.off('end', this.onEnd);
    this.source.off('error', this.onAbort);
    this.source.off('close', this.onClose);
  }
}

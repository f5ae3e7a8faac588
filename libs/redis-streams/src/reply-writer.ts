import type { Observable } from 'rxjs';

export interface ReplyPacket {
  readonly response?: unknown;
  readonly err?: unknown;
  readonly isDisposed?: boolean;
  /** The handler's reply headers (`ReplyHeaders`), on the last reply. */
  readonly headers?: Readonly<Record<string, string>>;
}

/**
 * Subscribes to a handler's result and writes its replies in order: each value but the
 * last as `{ response }`, the last merged with the end as `{ response, isDisposed }` (one
 * write for the usual single value), or `{ err, isDisposed }` on failure. Resolves once
 * the last reply is written; rejects if a write fails.
 */
export function writeReplies(
  result$: Observable<unknown>,
  write: (packet: ReplyPacket) => Promise<void>,
): Promise<void> {
  return new Promise((resolve, reject) => {
    let chain = Promise.resolve();
    let buffered: { value: unknown } | undefined;
    const enqueue = (packet: ReplyPacket) => {
      chain = chain.then(() => write(packet));
    };
    const finish = (last: ReplyPacket) => {
      enqueue(last);
      chain.then(resolve, reject);
    };
    result$.subscribe({
      next: (value) => {
        if (buffered) enqueue({ response: buffered.value });
        buffered = { value };
      },
      error: (err: unknown) => {
        if (buffered) enqueue({ response: buffered.value });
        finish({ err, isDisposed: true });
      },
      complete: () => finish(buffered ? { response: buffered.value, isDisposed: true } : { isDisposed: true }),
    });
  });
}

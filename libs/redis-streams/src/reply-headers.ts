import { AsyncLocalStorage } from 'node:async_hooks';

/** Header names: lower-case letters, digits and dashes, as HTTP's. */
const NAME = /^[a-z0-9][a-z0-9-]{0,63}$/;

/**
 * Metadata a request's handler gives its reply, beside the reply's data (as HTTP response
 * headers are beside a body): the transport carries it to the caller, who reads it with
 * `send(…, { onHeaders })`. Open for the handling of each request (not for events).
 */
export class ReplyHeaders {
  private readonly values = new Map<string, string>();

  /** Sets `name` (lower-case) to `value`, replacing what was set before. */
  set(name: string, value: string): void {
    if (!NAME.test(name))
      throw new TypeError(`reply header name ${JSON.stringify(name)} is not lower-case a-z, 0-9, -`);
    this.values.set(name, value);
  }

  get(name: string): string | undefined {
    return this.values.get(name);
  }

  /** What was set, as a record; undefined when nothing was. */
  toRecord(): Record<string, string> | undefined {
    return this.values.size === 0 ? undefined : Object.fromEntries(this.values);
  }
}

const storage = new AsyncLocalStorage<ReplyHeaders>();

/** Runs `work` (a request's handling) with `headers` as its reply's. */
export function runWithReplyHeaders<T>(headers: ReplyHeaders, work: () => T): T {
  return storage.run(headers, work);
}

/** The reply headers of the request being handled here, if any. */
export function currentReplyHeaders(): ReplyHeaders | undefined {
  return storage.getStore();
}

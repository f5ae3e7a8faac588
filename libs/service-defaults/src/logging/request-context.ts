import { AsyncLocalStorage } from 'node:async_hooks';

// Only the id is kept: a log line that needs it reads it, nothing is built per request.
const requestIds = new AsyncLocalStorage<string>();

/** Runs `work` as part of the request `requestId`: every line logged meanwhile carries it. */
export function runWithRequestId<T>(requestId: string, work: () => T): T {
  return requestIds.run(requestId, work);
}

/** The id of the request being handled, if any. */
export function currentRequestId(): string | undefined {
  return requestIds.getStore();
}

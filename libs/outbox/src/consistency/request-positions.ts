import { AsyncLocalStorage } from 'node:async_hooks';
import type { ServerResponse } from 'node:http';
import { POSITIONS_HEADER, type Position, formatPositions, parsePositions } from '@app/contracts';

/**
 * The positions an HTTP request's handling has committed so far, kept for its response: after
 * each commit the response's `x-ficus-positions` header is written again with all of them (the
 * highest sequence of each aggregate), so it is in place whenever the answer, success or error,
 * is sent. Positions committed once the headers are sent are not reported.
 */
export class RequestPositions {
  private committed?: Map<string, Position>;

  constructor(private readonly response: ServerResponse) {}

  /** Records a position whose transaction has committed. */
  add(position: Position): void {
    this.committed ??= new Map();
    const key = `${position.origin}:${position.aggregateType}:${position.aggregateId}`;
    const known = this.committed.get(key);
    if (known && known.sequence >= position.sequence) return;
    this.committed.set(key, position);
    if (!this.response.headersSent) this.response.setHeader(POSITIONS_HEADER, formatPositions(this.committed.values()));
  }

  /** What was committed so far, in the order first seen. */
  get positions(): readonly Position[] {
    return [...(this.committed?.values() ?? [])];
  }
}

const storage = new AsyncLocalStorage<RequestPositions>();

/** Runs `work` (the rest of a request's handling) with `positions` as the request's store. */
export function runWithRequestPositions<T>(positions: RequestPositions, work: () => T): T {
  return storage.run(positions, work);
}

/**
 * Runs `work` outside any request's store: for work that outlives the request (timers it arms
 * keep the context they were armed in), so that it neither holds the response nor reports to it.
 */
export function outsideRequestPositions<T>(work: () => T): T {
  return storage.exit(work);
}

/** The store of the HTTP request being handled, if any (none in message handlers and commands). */
export function currentRequestPositions(): RequestPositions | undefined {
  return storage.getStore();
}

/**
 * Reports positions committed elsewhere for this request (an `x-ficus-positions` value: what a
 * saga's commands committed in other services) on its response, as its own commits are. Does
 * nothing outside an HTTP request, or for a malformed value.
 */
export function reportPositions(value: string | null | undefined): void {
  const request = currentRequestPositions();
  if (!request || !value) return;
  const parsed = parsePositions(value);
  if (parsed.ok) for (const position of parsed.positions) request.add(position);
}

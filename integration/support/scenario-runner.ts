import { isDeepStrictEqual } from 'node:util';
import type { CompiledRuleSet } from '../../strangler/src/rules';
import { toRoutingRequest } from '../../strangler/src/rules';
import { type ApiAnswer, type ApiRequest, Normaliser, send } from './answers';
import { SETTLE, type ScenarioItem } from './public-api-scenario';
import { ShopLedger } from './shop-ledger';

/** One system the scenario runs against: the stack through its facade, or the monolith alone. */
export interface Side {
  readonly label: string;
  /** Its public entry. */
  readonly url: string;
  readonly ledger: ShopLedger;
  readonly normaliser: Normaliser;
  /** Waits for a quiet point (every event delivered). */
  settle(): Promise<void>;
}

export function side(label: string, url: string, settle: () => Promise<void> = async () => undefined): Side {
  return { label, url, ledger: new ShopLedger(), normaliser: new Normaliser(), settle };
}

/** What the scenario saw go wrong: a step whose answers differ, or that went to the wrong upstream. */
export interface ScenarioReport {
  readonly divergences: readonly string[];
  /** `<upstream>: <count>` of the stack's answers, by `x-strangler-upstream`. */
  readonly upstreams: Readonly<Record<string, number>>;
}

/**
 * Runs each step on the reference first, then on the stack, and compares what a client sees:
 * status, headers (but the facade's own and per-response ones) and body, normalised; the
 * reference must answer the status the scenario expects. With `rules`, each answer of the stack
 * must also come from the upstream those rules choose.
 */
export async function runScenario(
  items: readonly ScenarioItem[],
  stack: Side,
  reference: Side,
  rules?: CompiledRuleSet,
): Promise<ScenarioReport> {
  const divergences: string[] = [];
  const upstreams: Record<string, number> = {};
  for (const item of items) {
    if (item === SETTLE) {
      await Promise.all([stack.settle(), reference.settle()]);
      continue;
    }
    const requestId = `stages-${item.name.replace(/[^a-z0-9]+/gi, '-')}`;
    const exchange = async (on: Side): Promise<[ApiRequest, ApiAnswer]> => {
      const request = item.request(on.ledger);
      const answer = await send(on.url, { ...request, headers: { ...request.headers, 'x-request-id': requestId } });
      item.record?.(on.ledger, answer);
      return [request, answer];
    };
    const [, expected] = await exchange(reference);
    const [request, actual] = await exchange(stack);
    const want = reference.normaliser.answer(expected);
    const got = stack.normaliser.answer(actual);
    // The facade adds the client's X-Request-Id where the upstream did not echo it (the monolith
    // does not, on a body it cannot parse); it must never change one.
    if (!('x-request-id' in want.headers) && got.headers['x-request-id'] === requestId) {
      delete (got.headers as Record<string, string>)['x-request-id'];
    }
    if (expected.status !== item.expect) {
      divergences.push(
        `${item.name}: the monolith answered ${expected.status}, the scenario expects ${item.expect}: ${JSON.stringify(expected.body)}`,
      );
    }
    if (!isDeepStrictEqual(got, want)) {
      divergences.push(
        `${item.name}: ${request.method} ${request.path}\n  monolith alone: ${JSON.stringify(want)}\n  through the stack: ${JSON.stringify(got)}`,
      );
    }
    const upstream = actual.headers['x-strangler-upstream'] ?? 'none';
    upstreams[upstream] = (upstreams[upstream] ?? 0) + 1;
    if (rules) {
      const routing = toRoutingRequest(request.method, request.path, {}, undefined);
      const intended = routing.ok ? rules.decide(routing.request).upstream : rules.legacy;
      if (upstream !== intended) {
        divergences.push(`${item.name}: ${request.method} ${request.path} was served by ${upstream}, not ${intended}`);
      }
    }
  }
  return { divergences, upstreams };
}

/**
 * Reads the same thing on both sides (`path` from each side's ids), the stack at `stackUrl`, and
 * says how the normalised status and body differ, if they do.
 */
export async function compareReads(
  stackUrl: string,
  stack: Side,
  reference: Side,
  path: (ledger: ShopLedger) => string,
  token: (ledger: ShopLedger) => string | undefined = () => undefined,
): Promise<string[]> {
  const read = async (url: string, on: Side) =>
    on.normaliser.answer(await send(url, { method: 'GET', path: path(on.ledger), token: token(on.ledger) }));
  const want = await read(reference.url, reference);
  const got = await read(stackUrl, stack);
  const strip = (answer: ApiAnswer) => ({ status: answer.status, body: answer.body });
  return isDeepStrictEqual(strip(got), strip(want))
    ? []
    : [
        `GET ${path(stack.ledger)} at ${stackUrl}\n  monolith alone: ${JSON.stringify(strip(want))}\n  stack: ${JSON.stringify(strip(got))}`,
      ];
}

import { isDeepStrictEqual } from 'node:util';
import type { CompiledRuleSet } from '../../strangler/src/rules';
import { toRoutingRequest } from '../../strangler/src/rules';
import { CONSISTENCY_HEADER, POSITIONS_HEADER } from '@app/contracts';
import { type ApiAnswer, type ApiRequest, Normaliser, send } from './answers';
import { SETTLE, type ScenarioItem, type Step } from './public-api-scenario';
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

export interface ScenarioOptions {
  /** Each answer of the stack must come from the upstream these rules choose. */
  readonly rules?: CompiledRuleSet;
  /**
   * `step` (the default): each step runs on the reference, then on the stack. `back-to-back`: the
   * steps up to the next quiet point run on the reference, then on the stack one right after the
   * other, so that nothing (not even the reference's answer) stands between a write and the read
   * after it.
   */
  readonly pace?: 'step' | 'back-to-back';
}

/** One step as one side was asked and answered it. */
interface Exchange {
  readonly request: ApiRequest;
  readonly answer: ApiAnswer;
}

/** The requests sent together on each side: each step alone, or every step up to a quiet point. */
function batches(items: readonly ScenarioItem[], pace: ScenarioOptions['pace']): (Step[] | typeof SETTLE)[] {
  if (pace !== 'back-to-back') return items.map((item) => (item === SETTLE ? item : [item]));
  const out: (Step[] | typeof SETTLE)[] = [[]];
  for (const item of items) {
    if (item === SETTLE) out.push(SETTLE, []);
    else (out.at(-1) as Step[]).push(item);
  }
  return out;
}

const requestIdOf = (item: Step) => `stages-${item.name.replace(/[^a-z0-9]+/gi, '-')}`;

async function exchange(item: Step, on: Side): Promise<Exchange> {
  const request = item.request(on.ledger);
  const answer = await send(on.url, { ...request, headers: { ...request.headers, 'x-request-id': requestIdOf(item) } });
  item.record?.(on.ledger, answer);
  return { request, answer };
}

/**
 * Whether `value` holds everything `expected` says (objects: each key of `expected`, recursively;
 * anything else: equal).
 */
function holds(value: unknown, expected: unknown): boolean {
  if (expected && typeof expected === 'object' && !Array.isArray(expected)) {
    if (!value || typeof value !== 'object') return false;
    return Object.entries(expected).every(([key, item]) => holds((value as Record<string, unknown>)[key], item));
  }
  return isDeepStrictEqual(value, expected);
}

/** A side reports the positions of its writes to the facade, which keeps them and never relays them. */
function withoutPositions(answer: ApiAnswer): ApiAnswer {
  const { [POSITIONS_HEADER]: _reported, ...headers } = answer.headers;
  return { ...answer, headers };
}

/** What differs between the reference's and the stack's exchanges of one step, and whether it went where the rules say. */
function stepDivergences(
  item: Step,
  reference: Side,
  expected: Exchange,
  stack: Side,
  actual: Exchange,
  rules: CompiledRuleSet | undefined,
): string[] {
  const divergences: string[] = [];
  const { request } = actual;
  const want = reference.normaliser.answer(withoutPositions(expected.answer));
  const got = stack.normaliser.answer(actual.answer);
  // The facade adds the client's X-Request-Id where the upstream did not echo it (the monolith
  // does not, on a body it cannot parse); it must never change one.
  if (!('x-request-id' in want.headers) && got.headers['x-request-id'] === requestIdOf(item)) {
    delete (got.headers as Record<string, string>)['x-request-id'];
  }
  if (expected.answer.status !== item.expect) {
    divergences.push(
      `${item.name}: the monolith answered ${expected.answer.status}, the scenario expects ${item.expect}: ${JSON.stringify(expected.answer.body)}`,
    );
  } else if (item.expectBody !== undefined && !holds(expected.answer.body, item.expectBody)) {
    divergences.push(
      `${item.name}: the monolith answered ${JSON.stringify(expected.answer.body)}, the scenario expects ${JSON.stringify(item.expectBody)}`,
    );
  }
  const consistency = actual.answer.headers[CONSISTENCY_HEADER];
  if (consistency !== undefined) {
    divergences.push(`${item.name}: ${request.method} ${request.path} answered ${CONSISTENCY_HEADER}: ${consistency}`);
  }
  if (!isDeepStrictEqual(got, want)) {
    divergences.push(
      `${item.name}: ${request.method} ${request.path}\n  monolith alone: ${JSON.stringify(want)}\n  through the stack: ${JSON.stringify(got)}`,
    );
  }
  if (rules) {
    const upstream = actual.answer.headers['x-strangler-upstream'] ?? 'none';
    const routing = toRoutingRequest(request.method, request.path, {}, undefined);
    const intended = routing.ok ? rules.decide(routing.request).upstream : rules.legacy;
    if (upstream !== intended) {
      divergences.push(`${item.name}: ${request.method} ${request.path} was served by ${upstream}, not ${intended}`);
    }
  }
  return divergences;
}

/**
 * Runs each step on the reference, then on the stack (at the pace of `options`), and compares
 * what a client sees: status, headers (but the facade's own and per-response ones) and body,
 * normalised; the reference must answer the status (and body) the scenario expects, and no
 * answer of the stack may be stale (`x-ficus-consistency`). With `options.rules`, each answer of
 * the stack must also come from the upstream those rules choose.
 */
export async function runScenario(
  items: readonly ScenarioItem[],
  stack: Side,
  reference: Side,
  options: ScenarioOptions = {},
): Promise<ScenarioReport> {
  const divergences: string[] = [];
  const upstreams: Record<string, number> = {};
  for (const batch of batches(items, options.pace)) {
    if (batch === SETTLE) {
      await Promise.all([stack.settle(), reference.settle()]);
      continue;
    }
    const expected: Exchange[] = [];
    for (const item of batch) expected.push(await exchange(item, reference));
    const actual: Exchange[] = [];
    for (const item of batch) actual.push(await exchange(item, stack));
    batch.forEach((item, i) => {
      divergences.push(...stepDivergences(item, reference, expected[i]!, stack, actual[i]!, options.rules));
      const upstream = actual[i]!.answer.headers['x-strangler-upstream'] ?? 'none';
      upstreams[upstream] = (upstreams[upstream] ?? 0) + 1;
    });
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

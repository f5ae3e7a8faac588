import { readdirSync } from 'node:fs';
import { join } from 'node:path';
import fc from 'fast-check';
import { CompiledRuleSet, type RoutingDecision, loadRulesFile, parsePathPattern, toRoutingRequest } from '../src/rules';

/**
 * Every stage file decides on a path as the monolith's router (Express: literals in any case,
 * one trailing slash ignored) will see it: any spelling of a route goes where its canonical
 * spelling goes, so a moved route has one writer whatever the client types.
 */
const STAGES = readdirSync(__dirname).filter((name) => /\.(ya?ml|json)$/.test(name));

/** Public paths that stay on legacy at every stage, spelled as the patterns are. */
const LEGACY_PATTERNS: readonly [method: string, pattern: string][] = [
  ['POST', '/api/customers'],
  ['POST', '/api/auth/token'],
  ['GET', '/api/customers/:id'],
  ['GET', '/api/customers/:id/deposits'],
  ['POST', '/api/orders'],
  ['GET', '/api/orders/:id'],
  ['POST', '/api/orders/:id/cancel'],
  ['PUT', '/api/products/:id'],
  ['GET', '/api-docs-json'],
];

/** One segment of a canonical request path; only literal segments get case changes. */
interface Segment {
  readonly literal: boolean;
  readonly text: string;
}

interface Canonical {
  readonly method: string;
  readonly segments: readonly Segment[];
}

const UNRESERVED = /[A-Za-z0-9\-._~]/;
/** A parameter's value: unreserved characters, never a dot segment. */
const paramValue = fc.stringMatching(/^[A-Za-z0-9_~-][A-Za-z0-9._~-]{0,15}$/);

/** The canonical requests of a pattern: each of its methods, its parameters and rest filled in. */
function canonical(methods: readonly string[], pattern: string): fc.Arbitrary<Canonical> {
  const parts = parsePathPattern(pattern).map((segment): fc.Arbitrary<Segment[]> => {
    switch (segment.kind) {
      case 'literal':
        return fc.constant([{ literal: true, text: segment.value }]);
      case 'param':
      case 'star':
        return paramValue.map((text) => [{ literal: false, text }]);
      case 'rest':
        return fc.array(paramValue, { maxLength: 2 }).map((texts) => texts.map((text) => ({ literal: false, text })));
    }
  });
  return fc.record({
    method: fc.constantFrom(...methods),
    segments: fc.tuple(...parts).map((lists) => lists.flat()),
  });
}

const render = (segments: readonly string[]) => `/${segments.join('/')}`;

/** A spelling of `request`'s path: literal letters in another case, unreserved characters percent-encoded, a trailing slash. */
function spelling(request: Canonical): fc.Arbitrary<string> {
  const characters = (segment: Segment) =>
    fc.tuple(
      ...[...segment.text].map((character) =>
        fc
          .record({ upper: fc.boolean(), encode: fc.boolean(), upperHex: fc.boolean() })
          .map(({ upper, encode, upperHex }) => {
            const cased = segment.literal ? (upper ? character.toUpperCase() : character.toLowerCase()) : character;
            if (!encode || !UNRESERVED.test(cased)) return cased;
            const hex = cased.charCodeAt(0).toString(16).padStart(2, '0');
            return `%${upperHex ? hex.toUpperCase() : hex}`;
          }),
      ),
    );
  return fc
    .tuple(fc.tuple(...request.segments.map(characters)), fc.boolean())
    .map(([segments, slash]) => `${render(segments.map((parts) => parts.join('')))}${slash ? '/' : ''}`);
}

function decide(ruleSet: CompiledRuleSet, method: string, target: string) {
  const parsed = toRoutingRequest(method, target, {}, '127.0.0.1');
  if (!parsed.ok) throw new Error(`${target}: ${parsed.reason}`);
  const decision: RoutingDecision = ruleSet.decide(parsed.request);
  // What the upstream is sent: the path as the client spelled it.
  return { route: decision.route?.id, upstream: decision.upstream, reason: decision.reason, path: parsed.path };
}

describe('the migration stage files decide on every spelling of a route as on the route itself', () => {
  it.each(STAGES)('%s', async (file) => {
    const check = await loadRulesFile(join(__dirname, file));
    if (!check.ok) throw new Error(check.errors.join('\n'));
    const ruleSet = new CompiledRuleSet(1, check.ruleSet);
    const patterns = [
      ...check.ruleSet.routes.map((route) => [route.match.methods ?? ['GET', 'POST'], route.match.path] as const),
      ...LEGACY_PATTERNS.map(([method, pattern]) => [[method], pattern] as const),
    ];
    const requests = fc.oneof(...patterns.map(([methods, pattern]) => canonical(methods, pattern)));
    const cases = requests.chain((request) => fc.tuple(fc.constant(request), spelling(request)));

    fc.assert(
      fc.property(cases, ([request, spelled]) => {
        const path = render(request.segments.map((segment) => segment.text));
        const expected = decide(ruleSet, request.method, path);
        expect(decide(ruleSet, request.method, spelled)).toEqual({ ...expected, path: spelled });
      }),
      { numRuns: 300 },
    );
  });

  it('meets the spellings of the issue at stage 3: each goes to the service the route moved to', async () => {
    const check = await loadRulesFile(join(__dirname, '03-catalog-inventory-payments.yaml'));
    if (!check.ok) throw new Error(check.errors.join('\n'));
    const ruleSet = new CompiledRuleSet(3, check.ruleSet);
    const id = '5f1f1b9e-7c1a-4a43-9a4e-1f0b2b7d8c01';
    const upstreams = [
      `/API/customers/${id}/deposits`,
      `/api/customers/${id}/Deposits`,
      `/api/customers/${id}/deposits/`,
      `/api/customers/${id}/%64eposits`,
      `/API/products/${id}/stock-adjustments`,
      `/api/products/${id}/Stock%2DAdjustments/`,
      '/API/products',
      '/api/Products/',
      '/%61pi/products',
    ].map((path) => decide(ruleSet, 'POST', path).upstream);
    expect(upstreams).toEqual([
      'payments',
      'payments',
      'payments',
      'payments',
      'inventory',
      'inventory',
      'catalog',
      'catalog',
      'catalog',
    ]);
  });
});

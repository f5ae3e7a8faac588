import { compileConsistencyKeys } from './consistency-keys';
import { type PatternSegment, foldPatternCase, parsePathPattern, patternCovers } from './path-pattern';
import { DEFAULT_CASE_SENSITIVE, type RouteRule, type RuleSetDocument, ruleSetSchema } from './rule-set.schema';

export type RuleSetCheck =
  | { readonly ok: true; readonly ruleSet: RuleSetDocument; readonly warnings: readonly string[] }
  | { readonly ok: false; readonly errors: readonly string[]; readonly warnings: readonly string[] };

const at = (path: readonly PropertyKey[]) =>
  path.reduce<string>(
    (text, key) => (typeof key === 'number' ? `${text}[${key}]` : text ? `${text}.${String(key)}` : String(key)),
    '',
  );

/** Whether every request `later` matches is matched by `earlier` first. */
function shadows(
  earlier: RouteRule,
  earlierPattern: PatternSegment[],
  later: RouteRule,
  laterPattern: PatternSegment[],
): boolean {
  const methods = earlier.match.methods;
  if (methods && (!later.match.methods || !later.match.methods.every((method) => methods.includes(method))))
    return false;
  for (const kind of ['headers', 'query', 'cookies'] as const) {
    const wanted = earlier.match[kind];
    if (wanted && Object.keys(wanted).length > 0) {
      const theirs = later.match[kind] ?? {};
      if (!Object.entries(wanted).every(([key, value]) => (value === '*' ? key in theirs : theirs[key] === value)))
        return false;
    }
  }
  return patternCovers(earlierPattern, laterPattern);
}

/**
 * Checks a rules document: its shape (each problem with the path of the field and what is
 * allowed), then its meaning: the legacy upstream and every target exist, ids are unique,
 * path patterns parse, canary routes say how many and by what, and the routes of a group
 * move together. Warns of routes that an earlier route makes unreachable.
 */
export function checkRuleSet(input: unknown): RuleSetCheck {
  const parsed = ruleSetSchema.safeParse(input);
  if (!parsed.success) {
    return {
      ok: false,
      errors: parsed.error.issues.map((issue) => `${at(issue.path) || 'rules'}: ${issue.message}`),
      warnings: [],
    };
  }
  const ruleSet = parsed.data;
  const errors: string[] = [];
  const warnings: string[] = [];
  const upstreams = Object.keys(ruleSet.upstreams);
  const known = `known: ${upstreams.join(', ') || 'none'}`;
  if (!ruleSet.upstreams[ruleSet.legacy]) errors.push(`legacy: "${ruleSet.legacy}" is not an upstream (${known})`);

  const ids = new Map<string, number>();
  const groups = new Map<string, number>();
  const patterns: (PatternSegment[] | undefined)[] = [];
  // Unreachable routes are found as the matcher compares: literals case-folded unless case-sensitive.
  const caseSensitive = ruleSet.pathMatching?.caseSensitive ?? DEFAULT_CASE_SENSITIVE;
  ruleSet.routes.forEach((route, index) => {
    const here = `routes[${index}]`;
    const earlier = ids.get(route.id);
    if (earlier !== undefined) errors.push(`${here}.id: "${route.id}" is used by routes[${earlier}] too`);
    else ids.set(route.id, index);
    if (!ruleSet.upstreams[route.target])
      errors.push(`${here}.target: "${route.target}" is not an upstream (${known})`);
    try {
      const pattern = parsePathPattern(route.match.path);
      patterns[index] = caseSensitive ? pattern : foldPatternCase(pattern);
      try {
        compileConsistencyKeys(route.consistency ?? [], pattern);
      } catch (error) {
        errors.push(`${here}.consistency: ${(error as Error).message}`);
      }
    } catch (error) {
      errors.push(`${here}.match.path: "${route.match.path}" ${(error as Error).message}`);
    }
    if (route.mode === 'canary') {
      if (route.percent === undefined) errors.push(`${here}.percent: required when mode is canary (0 to 100)`);
      if (route.stickyBy === undefined)
        errors.push(`${here}.stickyBy: required when mode is canary (jwt.sub, ip, header:<name> or cookie:<name>)`);
    }
    if (route.group) {
      const first = groups.get(route.group);
      if (first === undefined) groups.set(route.group, index);
      else {
        const lead = ruleSet.routes[first] as RouteRule;
        for (const field of ['mode', 'target', 'percent', 'stickyBy'] as const) {
          if (lead[field] !== route[field]) {
            errors.push(
              `${here}.${field}: group "${route.group}" moves as one, but routes[${first}] has ${JSON.stringify(lead[field])} and this route ${JSON.stringify(route[field])}`,
            );
          }
        }
      }
    }
  });

  if (errors.length === 0) {
    const earlier = new CoverageTrie();
    ruleSet.routes.forEach((route, index) => {
      const pattern = patterns[index] as PatternSegment[];
      const shadowing = earlier
        .covering(pattern)
        .sort((a, b) => a - b)
        .find((before) =>
          shadows(ruleSet.routes[before] as RouteRule, patterns[before] as PatternSegment[], route, pattern),
        );
      if (shadowing !== undefined) {
        const first = ruleSet.routes[shadowing] as RouteRule;
        warnings.push(
          `routes[${index}] ("${route.id}") is unreachable: routes[${shadowing}] ("${first.id}") matches every request it would`,
        );
      }
      earlier.insert(pattern, index);
    });
  }
  return errors.length > 0 ? { ok: false, errors, warnings } : { ok: true, ruleSet, warnings };
}

interface CoverageNode {
  readonly literals: Map<string, CoverageNode>;
  single?: CoverageNode;
  readonly ends: number[];
  readonly rests: number[];
}

const coverageNode = (): CoverageNode => ({ literals: new Map(), ends: [], rests: [] });

/** The patterns seen so far, to find those that cover a new one without comparing it to all. */
class CoverageTrie {
  private readonly root = coverageNode();

  insert(pattern: readonly PatternSegment[], index: number): void {
    let current = this.root;
    for (const segment of pattern) {
      if (segment.kind === 'rest') {
        current.rests.push(index);
        return;
      }
      if (segment.kind === 'literal') {
        let next = current.literals.get(segment.value);
        if (!next) current.literals.set(segment.value, (next = coverageNode()));
        current = next;
      } else {
        current = current.single ??= coverageNode();
      }
    }
    current.ends.push(index);
  }

  /** Indices of the patterns that cover `pattern` (see {@link patternCovers}). */
  covering(pattern: readonly PatternSegment[]): number[] {
    const found: number[] = [];
    const walk = (current: CoverageNode, depth: number) => {
      found.push(...current.rests);
      const segment = pattern[depth];
      if (!segment) {
        found.push(...current.ends);
        return;
      }
      if (segment.kind === 'rest') return;
      if (segment.kind === 'literal') {
        const literal = current.literals.get(segment.value);
        if (literal) walk(literal, depth + 1);
      }
      if (current.single) walk(current.single, depth + 1);
    };
    walk(this.root, 0);
    return found;
  }
}

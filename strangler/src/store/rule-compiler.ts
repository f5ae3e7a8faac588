import { JwtCodec } from '@app/auth';
import {
  CompiledRuleSet,
  type RuleSetDocument,
  type UpstreamAllowList,
  defaultAllowList,
  neverAllowed,
  overrideKey,
  refusedUpstreams,
  upstreamOverrides,
} from '../rules';

/** Turns a checked document into the rule set an instance routes with. */
export type RuleCompiler = (version: number, document: RuleSetDocument) => CompiledRuleSet;

/**
 * The compiler of one process: upstream addresses from `STRANGLER_UPSTREAM_<NAME>_URL`,
 * JWT `sub` (for sticky canaries) verified with `JWT_SECRET`.
 *
 * SECURITY: a version whose upstreams `upstreamAllow` refuses is not routed with (it throws), even
 * though the store checks every write: another instance may allow more, or a version may predate
 * the list. An upstream the environment overrides is the operator's and is not checked against the
 * list, but an override with a user or password is refused at once (it throws here, at start).
 */
export function ruleCompiler(options: {
  readonly environment: Readonly<Record<string, string | undefined>>;
  readonly jwtSecret: string;
  /** Where upstreams may be; default loopback only. */
  readonly upstreamAllow?: UpstreamAllowList;
}): RuleCompiler {
  const overrides = upstreamOverrides(options.environment);
  const refusedOverrides = [...overrides].flatMap(([key, urls]) =>
    urls.flatMap((url) => {
      const never = neverAllowed(url);
      return never ? [`STRANGLER_UPSTREAM_${key}_URL: ${url} ${never}`] : [];
    }),
  );
  if (refusedOverrides.length > 0) throw new Error(`Upstream overrides refused: ${refusedOverrides.join('; ')}`);
  const allow = options.upstreamAllow ?? defaultAllowList();
  const jwt = new JwtCodec(options.jwtSecret);
  return (version, document) => {
    const refused = refusedUpstreams(document.upstreams, allow, (name) => overrides.has(overrideKey(name)));
    if (refused.length > 0) throw new Error(`Rules version ${version} is not routed with: ${refused.join('; ')}`);
    return new CompiledRuleSet(version, document, { overrides, jwt });
  };
}

import { JwtCodec } from '@app/auth';
import { CompiledRuleSet, type RuleSetDocument, upstreamOverrides } from '../rules';

/** Turns a checked document into the rule set an instance routes with. */
export type RuleCompiler = (version: number, document: RuleSetDocument) => CompiledRuleSet;

/**
 * The compiler of one process: upstream addresses from `STRANGLER_UPSTREAM_<NAME>_URL`,
 * JWT `sub` (for sticky canaries) verified with `JWT_SECRET`.
 */
export function ruleCompiler(options: {
  readonly environment: Readonly<Record<string, string | undefined>>;
  readonly jwtSecret: string;
}): RuleCompiler {
  const overrides = upstreamOverrides(options.environment);
  const jwt = new JwtCodec(options.jwtSecret);
  return (version, document) => new CompiledRuleSet(version, document, { overrides, jwt });
}

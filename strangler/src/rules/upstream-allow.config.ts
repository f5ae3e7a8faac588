import { registerAs } from '@nestjs/config';
import { ConfigValidationError, env, parseEnv } from '@app/service-defaults';
import { parseAllowEntry } from './allow-entry';

export interface UpstreamAllowConfig {
  /**
   * `STRANGLER_UPSTREAM_ALLOW`, split: the hosts, addresses, `host:port`s, `*.domain`s and CIDR
   * networks upstreams may be at. `undefined` when unset: loopback and the rules file's hosts.
   */
  readonly allow: readonly string[] | undefined;
}

const ALLOWED =
  'comma-separated hosts, addresses, host:port, *.domain or CIDR networks, such as 10.0.0.0/8,catalog.internal,127.0.0.1:6379 (default: loopback and the hosts of STRANGLER_RULES_FILE)';

/** The `stranglerUpstreamAllow` configuration area: where upstreams may be. */
export const upstreamAllowConfig = registerAs('stranglerUpstreamAllow', (): UpstreamAllowConfig => {
  const vars = parseEnv(process.env, { STRANGLER_UPSTREAM_ALLOW: env.optionalText({ describe: ALLOWED }) });
  const raw = vars.STRANGLER_UPSTREAM_ALLOW;
  if (raw === undefined) return Object.freeze({ allow: undefined });
  const allow = raw.split(',').map((entry) => entry.trim());
  const problems = allow.flatMap((entry) => {
    try {
      parseAllowEntry(entry);
      return [];
    } catch (error) {
      return [`STRANGLER_UPSTREAM_ALLOW is ${JSON.stringify(raw)}: ${(error as Error).message}; allowed: ${ALLOWED}`];
    }
  });
  if (problems.length > 0) throw new ConfigValidationError(problems);
  return Object.freeze({ allow: Object.freeze(allow) });
});

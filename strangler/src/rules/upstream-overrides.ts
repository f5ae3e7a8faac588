import type { RuleSetDocument } from './rule-set.schema';

/**
 * The environment's upstream addresses: `STRANGLER_UPSTREAM_<NAME>_URL` (the upstream's
 * name upper-cased, `-` as `_`), one URL or several separated by commas, replaces the
 * upstream's `url`/`urls` wherever the rules come from. So one rules file serves every
 * environment.
 */
export function upstreamOverrides(env: Readonly<Record<string, string | undefined>>): Map<string, string[]> {
  const overrides = new Map<string, string[]>();
  for (const [name, value] of Object.entries(env)) {
    const match = /^STRANGLER_UPSTREAM_([A-Z0-9_]+)_URL$/.exec(name);
    if (!match?.[1] || !value) continue;
    overrides.set(
      match[1],
      value
        .split(',')
        .map((url) => url.trim())
        .filter(Boolean),
    );
  }
  return overrides;
}

export const overrideKey = (upstream: string) => upstream.toUpperCase().replace(/-/g, '_');

/** The URLs of each upstream, overrides applied. */
export function resolveUpstreamUrls(
  ruleSet: RuleSetDocument,
  overrides: ReadonlyMap<string, readonly string[]>,
): Map<string, string[]> {
  const urls = new Map<string, string[]>();
  for (const [name, upstream] of Object.entries(ruleSet.upstreams)) {
    urls.set(name, [...(overrides.get(overrideKey(name)) ?? upstream.urls ?? (upstream.url ? [upstream.url] : []))]);
  }
  return urls;
}

import { loadRulesFile } from './load-rules-file';
import {
  type UpstreamAllowList,
  defaultAllowList,
  refusedUpstreams,
  upstreamAllowList,
  upstreamUrlsOf,
} from './upstream-allow';

/**
 * The allow-list of a starting facade: `STRANGLER_UPSTREAM_ALLOW` when set (`configured`), else
 * loopback and the hosts of the rules file. The rules file is checked against it whether or not it
 * seeds the store: an upstream it may not route to stops the start with every such upstream named.
 * A rules file that cannot be read or is invalid is left to the seed (it matters only for an empty store).
 */
export async function startupAllowList(
  rulesFile: string,
  configured: readonly string[] | undefined,
): Promise<UpstreamAllowList> {
  const loaded = await loadRulesFile(rulesFile);
  const fileUrls = loaded.ok ? upstreamUrlsOf(loaded.ruleSet.upstreams).map(({ url }) => url) : [];
  const allow = configured ? upstreamAllowList(configured, 'STRANGLER_UPSTREAM_ALLOW') : defaultAllowList(fileUrls);
  const refused = loaded.ok ? refusedUpstreams(loaded.ruleSet.upstreams, allow) : [];
  if (refused.length > 0) {
    throw new Error(
      `The rules file ${rulesFile} (STRANGLER_RULES_FILE) has upstreams the facade may not route to:\n${refused
        .map((problem) => `  - ${problem}`)
        .join('\n')}\nChange the file, or allow them in STRANGLER_UPSTREAM_ALLOW (strangler/README.md).`,
    );
  }
  return allow;
}

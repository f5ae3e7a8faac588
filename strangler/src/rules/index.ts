export { type RoutingDecision, type RoutingRequest, CompiledRuleSet } from './compiled-rule-set';
export { type RuleSetCheck, checkRuleSet } from './check-rule-set';
export { parsePathPattern, patternCovers } from './path-pattern';
export { parseRequestPath } from './request-path';
export { toRoutingRequest } from './routing-request';
export * from './rule-set.schema';
export { BUCKETS, inCanary, stickyBucket } from './sticky-hash';
export { overrideKey, resolveUpstreamUrls, upstreamOverrides } from './upstream-overrides';
export { ActiveRules } from './active-rules';
export { loadRulesFile } from './load-rules-file';
export { type AllowEntry, parseAllowEntry } from './allow-entry';
export { SERVICE_PORTS, specialHost } from './special-upstreams';
export {
  type UpstreamAllowList,
  type UpstreamDecision,
  LOOPBACK_ALLOW,
  decideUpstream,
  defaultAllowList,
  neverAllowed,
  refusedUpstreams,
  upstreamAllowList,
  upstreamUrlsOf,
  withAllowedUpstreams,
} from './upstream-allow';
export { startupAllowList } from './startup-allow-list';
export type { AwaitedKey } from './consistency-keys';

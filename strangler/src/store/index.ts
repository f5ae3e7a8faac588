export {
  type ChangeSummary,
  type FieldChange,
  type RuleChange,
  describeChange,
  diffRuleSets,
  initialSummary,
} from './rule-diff';
export { HistoryCopy, historyCopyFile } from './history-copy';
export { type HistoryCopyStatus, HistoryKeeper, type KeptHistory } from './history-keeper';
export { ROUTE_CHANGE_FIELDS, type RouteChangeFields, changeGroup, changeRoute } from './rule-changes';
export { type RuleCompiler, ruleCompiler } from './rule-compiler';
export {
  DEFAULT_LIST_LIMIT,
  MAX_LIST_LIMIT,
  RuleStore,
  type ValidationResult,
  type VersionPage,
  isConnectionFailure,
} from './rule-store';
export * from './rule-store.errors';
export { RuleStoreKeys } from './rule-store.keys';
export {
  DEFAULT_CHECK_TIMEOUT_MS,
  HISTORY_STEP_TIMEOUT_MS,
  RuleSync,
  type RuleSyncOptions,
  type RuleSyncState,
  type RuleSyncStatus,
  type RuleSyncStatusSource,
} from './rule-sync';
export * from './rule-version';

export { DEFAULT_POSITIONS_TIMEOUT_MS, PositionsStore } from './positions-store';
export type { ConsistencyOutcome, ConsistencyStep, PositionsStoreOptions } from './positions-store';

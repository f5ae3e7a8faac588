export { DEFAULT_POSITIONS_TIMEOUT_MS, MAX_SENT_POSITIONS, PositionsStore } from './positions-store';
export type { ConsistencyOutcome, ConsistencyStep, PendingPositions, PositionsStoreOptions } from './positions-store';

export { type DataPlane, DEFAULT_TRAFFIC_SPLIT_MINUTES, createDataPlane } from './data-plane';
export {
  type DataPlaneOptions,
  DEFAULT_CONNECT_TIMEOUT_MS,
  DEFAULT_CONNECTIONS_PER_URL,
  DEFAULT_SHUTDOWN_TIMEOUT_MS,
  DEFAULT_TRAFFIC_WINDOW_MINUTES,
  DEFAULT_UPSTREAM_KEEP_ALIVE_MS,
  DEFAULT_URL_COOLDOWN_MS,
} from './data-plane.options';
export { DATA_PLANE_ERRORS, type DataPlaneErrorCode } from './data-plane.errors';
export type { CircuitState } from './circuit-breaker';
export type { CircuitStatus } from './circuit-breakers';
export type { TrippedRoute } from './route-guards';
export type { RouteTraffic, TrafficSplit } from './traffic-split';

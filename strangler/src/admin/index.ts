export { STRANGLER_PROCESS_NAME, buildAdminApp } from './admin-app';
export type { AdminAppDeps } from './admin-deps';
export { ADMIN_APP_ERRORS, STRANGLER_ADMIN_ERRORS } from './admin.errors';
export { NO_DATA_PLANE_STATS } from './data-plane-stats';
export type {
  CircuitStatusView,
  DataPlaneStats,
  RouteTrafficCounts,
  TrafficSplitCounts,
  TrippedRoute,
} from './data-plane-stats';
export { AUTHOR_HEADER } from './write-request';

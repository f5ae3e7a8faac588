import { SERVICE_ERRORS, defineErrorCatalog, mergeErrorCatalogs } from '@app/service-defaults';

/** Every code of the rule store and the admin API, and its HTTP status (documented in README.md). */
export const STRANGLER_ADMIN_ERRORS = defineErrorCatalog({
  UNAUTHENTICATED: {
    status: 401,
    description: 'No `Authorization: Bearer <admin token>` header, or a token that is not one of the admin tokens.',
  },
  FORBIDDEN: { status: 403, description: 'A `read-only` admin token asked for a write: it needs an `operator` token.' },
  STRANGLER_RULES_INVALID: {
    status: 400,
    description: 'The rules document fails the rules check; `message` lists every problem with where it is.',
  },
  STRANGLER_VERSION_CONFLICT: {
    status: 409,
    description: 'The write named an `expectedVersion` that is no longer the current one: read again and retry.',
  },
  STRANGLER_VERSION_NOT_FOUND: { status: 404, description: 'The rules have no such version.' },
  STRANGLER_ROUTE_NOT_FOUND: { status: 404, description: 'No route has this id in the current rules.' },
  STRANGLER_GROUP_NOT_FOUND: { status: 404, description: 'No route belongs to this group in the current rules.' },
  STRANGLER_STORE_UNAVAILABLE: {
    status: 503,
    description: 'The rule store (Redis) does not answer; the facade keeps routing with the version it has.',
  },
  // Never an answer: reported in `GET /admin/status` (`history.code`) and the log.
  STRANGLER_HISTORY_COPY_CORRUPT: {
    status: 500,
    description: 'A line of this instance’s history copy is not one this build wrote; the file is left as it is.',
  },
  STRANGLER_HISTORY_COPY_UNAVAILABLE: {
    status: 500,
    description: 'This instance’s history copy cannot be read or written (permissions, a full disk).',
  },
  STRANGLER_HISTORY_COPY_DIVERGED: {
    status: 500,
    description: 'Redis holds another history than the copy: the copy was set aside and a new one follows Redis.',
  },
});

/** The catalog the admin app answers with: the shared codes and the above. */
export const ADMIN_APP_ERRORS = mergeErrorCatalogs(SERVICE_ERRORS, STRANGLER_ADMIN_ERRORS);

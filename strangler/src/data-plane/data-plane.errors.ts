import { defineErrorCatalog } from '@app/service-defaults';

/**
 * The codes the data plane answers with itself (every other answer is the upstream's). The
 * body is the public API's error body: `{ statusCode, error, code, message }`.
 */
export const DATA_PLANE_ERRORS = defineErrorCatalog({
  ROUTE_NOT_FOUND: {
    status: 404,
    description:
      "An internal path (STRANGLER_INTERNAL_PATHS: the upstreams' /metrics, /health/*, /api-docs*) that no route routes explicitly.",
  },
  VALIDATION_FAILED: {
    status: 400,
    description:
      'The request target cannot be routed safely: dot segments (also percent-encoded), an encoded slash or backslash, a NUL, or an invalid percent-encoding.',
  },
  MALFORMED_REQUEST: {
    status: 400,
    description:
      'The request is not valid HTTP/1.1: a line or header that does not parse, an ambiguous body length (Content-Length with Transfer-Encoding, two lengths), a bad chunked encoding, no Host header or more than one.',
  },
  METHOD_NOT_ALLOWED: { status: 405, description: 'CONNECT: the facade opens no tunnels.' },
  REQUEST_TIMEOUT: { status: 408, description: 'The request headers or body did not arrive in time.' },
  HEADERS_TOO_LARGE: { status: 431, description: 'The request line and headers are larger than the facade reads.' },
  PAYLOAD_TOO_LARGE: {
    status: 413,
    description: 'The request body is larger than the facade allows (STRANGLER_MAX_BODY_BYTES, 10 MiB by default).',
  },
  UPSTREAM_UNAVAILABLE: {
    status: 502,
    description: 'The upstream chosen for the request could not be reached, or broke the connection before answering.',
  },
  UPSTREAM_CIRCUIT_OPEN: {
    status: 503,
    description: "The upstream's circuit breaker is open after repeated failures; it is not called until it recovers.",
  },
  UPSTREAM_TIMEOUT: {
    status: 504,
    description: "The upstream did not answer (or went quiet while streaming) within the route's timeout.",
  },
  INTERNAL_ERROR: { status: 500, description: 'An unexpected failure in the facade; the log has the detail.' },
});

export type DataPlaneErrorCode = keyof typeof DATA_PLANE_ERRORS;

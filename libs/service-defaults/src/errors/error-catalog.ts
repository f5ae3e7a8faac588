/** One documented error code: the HTTP status it maps to and what it means. */
export interface ErrorCatalogEntry {
  readonly status: number;
  readonly description: string;
}

export type ErrorCatalog = Readonly<Record<string, ErrorCatalogEntry>>;

/** Declares a package's error codes in one place (the filter and the docs test read it). */
export function defineErrorCatalog<const T extends ErrorCatalog>(catalog: T): T {
  return Object.freeze(catalog);
}

/**
 * Merges catalogs into the one an app's exception filter uses; a code declared twice
 * with different statuses is a programming error and stops the app.
 */
export function mergeErrorCatalogs(...catalogs: readonly ErrorCatalog[]): ErrorCatalog {
  const merged: Record<string, ErrorCatalogEntry> = {};
  for (const catalog of catalogs) {
    for (const [code, entry] of Object.entries(catalog)) {
      const existing = merged[code];
      if (existing && existing.status !== entry.status) {
        throw new Error(`Error code ${code} is declared with statuses ${existing.status} and ${entry.status}`);
      }
      merged[code] = entry;
    }
  }
  return Object.freeze(merged);
}

/** Codes every process answers with, whatever its domain. */
export const SERVICE_ERRORS = defineErrorCatalog({
  VALIDATION_FAILED: {
    status: 400,
    description: 'A path, query, header or body value is missing, of the wrong type, out of range, or unknown.',
  },
  MALFORMED_JSON: { status: 400, description: 'The request body is not valid JSON.' },
  MALFORMED_REQUEST: {
    status: 400,
    description:
      'The request is not valid HTTP/1.1: a line or header that does not parse, an ambiguous body length (Content-Length with Transfer-Encoding, two lengths), a bad chunked encoding, no Host header or more than one.',
  },
  METHOD_NOT_ALLOWED: { status: 405, description: 'CONNECT: no process here opens tunnels.' },
  REQUEST_TIMEOUT: { status: 408, description: 'The request headers or body did not arrive in time.' },
  HEADERS_TOO_LARGE: { status: 431, description: 'The request line and headers are larger than the server reads.' },
  PAYLOAD_TOO_LARGE: {
    status: 413,
    description: 'The request body is larger than the limit (100 KiB on the public API).',
  },
  ROUTE_NOT_FOUND: { status: 404, description: 'No route answers this method and path.' },
  INTERNAL_ERROR: { status: 500, description: 'An unexpected failure; the response carries no detail, the log does.' },
  SERVICE_UNAVAILABLE: { status: 503, description: 'The process is shutting down or a dependency is down.' },
});

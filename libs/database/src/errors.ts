import { DomainError, defineErrorCatalog } from '@app/service-defaults';

/** Every error code of the database library. Statuses apply where an HTTP route surfaces one. */
export const DATABASE_ERRORS = defineErrorCatalog({
  DATABASE_BUSY: {
    status: 503,
    description:
      "Another process held SQLite's write lock for longer than DATABASE_BUSY_TIMEOUT_MS; nothing was written.",
  },
});

export type DatabaseErrorCode = keyof typeof DATABASE_ERRORS;

/** An error of the database library, with a stable code; `cause` is the driver's error. */
export class DatabaseError extends DomainError {
  constructor(code: DatabaseErrorCode, message: string, options?: { cause?: unknown }) {
    super(code, message);
    if (options?.cause !== undefined) this.cause = options.cause;
  }
}

import type { ValueTransformer } from 'typeorm';

/** `bigint` columns come back from PostgreSQL as strings; the domain wants numbers. */
export const bigintAsNumber: ValueTransformer = {
  to: (value: number | null | undefined) => value,
  from: (value: string | number | null) => (value === null ? null : Number(value)),
};

/**
 * Timestamps are stored as ISO-8601 UTC strings with milliseconds
 * (`2026-11-22T10:00:00.000Z`): identical on SQLite and PostgreSQL, exact to the
 * millisecond the API shows, and ordered correctly as text.
 */
export const isoTimestamp: ValueTransformer = {
  to: (value: Date | null | undefined) => (value instanceof Date ? value.toISOString() : value),
  from: (value: string | null) => (value === null ? null : new Date(value)),
};

/** The column options of a timestamp stored by {@link isoTimestamp}. */
export const TIMESTAMP_COLUMN = { type: 'varchar', length: 24, transformer: isoTimestamp } as const;

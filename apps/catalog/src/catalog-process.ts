/** The catalog's process name: its origin, consumer group, inbox consumer and default SQLite file. */
export const CATALOG_PROCESS_NAME = 'catalog';
export const CATALOG_DEFAULT_PORT = 3001;

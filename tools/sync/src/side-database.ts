export type Row = Record<string, unknown>;

/** Runs one statement with `?` placeholders and returns its rows. */
export type Query = (sql: string, parameters?: readonly unknown[]) => Promise<Row[]>;

/** One process's database, opened read-only. */
export interface SideDatabase {
  readonly process: string;
  /** Where it is, for messages: a file path, or a URL without its password. */
  readonly shown: string;
  /** Runs `work` on one consistent snapshot of the database: a read-only transaction. */
  read<T>(work: (query: Query) => Promise<T>): Promise<T>;
  close(): Promise<void>;
}

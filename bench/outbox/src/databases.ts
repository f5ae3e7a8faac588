import { randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Client } from 'pg';
import type { DatabaseKind } from './config';

/** A database made for this run, dropped at the end (also when the run fails). */
export interface BenchDatabase {
  readonly kind: DatabaseKind;
  /** The `DATABASE_URL` the app runs with. */
  readonly url: string;
  /** What it is, for the report (the server's version on PostgreSQL). */
  readonly detail: string;
  drop(): Promise<void>;
}

/** A fresh SQLite file in a temporary folder of its own. */
function createSqlite(): BenchDatabase {
  const dir = mkdtempSync(join(tmpdir(), 'ficus-bench-outbox-'));
  return {
    kind: 'sqlite',
    url: `sqlite:${join(dir, 'bench.sqlite')}`,
    detail: 'better-sqlite3, file in a temp dir, WAL, synchronous=NORMAL (as @app/database opens it)',
    drop: async () => rmSync(dir, { recursive: true, force: true }),
  };
}

async function withAdmin<T>(adminUrl: string, work: (client: Client) => Promise<T>): Promise<T> {
  const client = new Client({ connectionString: adminUrl });
  await client.connect();
  try {
    return await work(client);
  } finally {
    await client.end();
  }
}

/** A fresh PostgreSQL database on the server of `adminUrl`. */
async function createPostgres(adminUrl: string): Promise<BenchDatabase> {
  const name = `ficus_bench_${Date.now().toString(36)}_${randomBytes(4).toString('hex')}`;
  const version = await withAdmin(adminUrl, async (client) => {
    await client.query(`CREATE DATABASE ${name}`);
    const { rows } = await client.query<{ server_version: string }>('SHOW server_version');
    return rows[0]?.server_version ?? 'unknown';
  });
  const url = new URL(adminUrl);
  url.pathname = `/${name}`;
  return {
    kind: 'postgres',
    url: url.toString(),
    detail: `PostgreSQL ${version}, local`,
    drop: () =>
      withAdmin(adminUrl, (client) => client.query(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`)).then(
        () => undefined,
      ),
  };
}

export function createDatabase(kind: DatabaseKind, postgresAdminUrl: string): Promise<BenchDatabase> {
  return kind === 'postgres' ? createPostgres(postgresAdminUrl) : Promise.resolve(createSqlite());
}

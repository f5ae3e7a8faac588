import type { EntityManager, QueryRunner } from 'typeorm';

export type Row = Record<string, unknown>;

/** Whether the manager's database is PostgreSQL (row locks, `$n` placeholders) rather than SQLite. */
export function isPostgres(manager: EntityManager): boolean {
  return manager.connection.options.type === 'postgres';
}

/** The statement with its `?` placeholders as the database wants them (`$1`, `$2`, … on PostgreSQL). */
export function placeholders(manager: EntityManager, text: string): string {
  if (!isPostgres(manager)) return text;
  let n = 0;
  return text.replace(/\?/g, () => `$${++n}`);
}

/** The query runner of the transaction `manager` belongs to, if one is running. */
export function activeTransaction(manager: EntityManager): QueryRunner | undefined {
  const queryRunner = manager.queryRunner;
  return queryRunner?.isTransactionActive && !queryRunner.isReleased ? queryRunner : undefined;
}

/** Runs a statement in the manager's transaction: its rows (SELECT, RETURNING) and the rows it changed. */
export async function execute(
  manager: EntityManager,
  text: string,
  parameters: readonly unknown[] = [],
): Promise<{ rows: Row[]; affected: number }> {
  const queryRunner = manager.queryRunner;
  if (!queryRunner) throw new Error('execute() needs the manager of a transaction');
  const result = await queryRunner.query(placeholders(manager, text), [...parameters], true);
  return { rows: (result.records ?? []) as Row[], affected: result.affected ?? 0 };
}

/** Runs a query, in the manager's transaction if it has one, and returns its rows. */
export async function select(
  manager: EntityManager,
  text: string,
  parameters: readonly unknown[] = [],
): Promise<Row[]> {
  return (await manager.query(placeholders(manager, text), [...parameters])) as Row[];
}

/** `?, ?, ?` for `count` values. */
export function list(count: number): string {
  return Array.from({ length: count }, () => '?').join(', ');
}

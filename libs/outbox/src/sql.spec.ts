import type { EntityManager } from 'typeorm';
import { list, placeholders } from './sql';

const managerOf = (type: string) => ({ connection: { options: { type } } }) as unknown as EntityManager;

describe('placeholders', () => {
  it('numbers them for PostgreSQL and leaves them for SQLite', () => {
    const text = `SELECT 1 FROM t WHERE a = ? AND b IN (${list(3)})`;
    expect(placeholders(managerOf('postgres'), text)).toBe('SELECT 1 FROM t WHERE a = $1 AND b IN ($2, $3, $4)');
    expect(placeholders(managerOf('better-sqlite3'), text)).toBe('SELECT 1 FROM t WHERE a = ? AND b IN (?, ?, ?)');
  });
});

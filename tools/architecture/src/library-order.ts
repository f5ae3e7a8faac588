/**
 * Every library, in the order they build on each other: a library's source imports only
 * libraries before it, so they form no cycle and each can be read knowing only what comes
 * before. A new library goes after every library it imports.
 */
export const LIBRARY_ORDER: readonly string[] = Object.freeze([
  'contracts',
  'service-defaults',
  'api-conventions',
  'auth',
  'shop-api',
  'database',
  'idempotency',
  'redis-streams',
  'outbox',
  'integration-events',
  'sagas',
]);

const WHERE = 'LIBRARY_ORDER in tools/architecture/src/library-order.ts';

/** Why `from` may not import `to`, or undefined when `to` comes before it (or either is unplaced: see {@link unplacedLibraries}). */
export function orderViolation(from: string, to: string, order: readonly string[] = LIBRARY_ORDER): string | undefined {
  const [fromAt, toAt] = [order.indexOf(from), order.indexOf(to)];
  if (fromAt < 0 || toAt < 0 || toAt < fromAt) return undefined;
  return `lib ${from} may not import lib ${to}: ${to} comes after ${from} in ${WHERE} (${order.join(' → ')})`;
}

/** A library the order lacks, or a name in the order that is no library: where, and what to do about it. */
export interface UnplacedLibrary {
  readonly name: string;
  readonly file: string;
  readonly rule: string;
}

/** What is wrong with the order for these libraries: each library it lacks, each name in it that is no library. */
export function unplacedLibraries(
  libraries: ReadonlySet<string>,
  order: readonly string[] = LIBRARY_ORDER,
): UnplacedLibrary[] {
  const missing = [...libraries]
    .filter((name) => !order.includes(name))
    .sort()
    .map((name) => ({
      name,
      file: `libs/${name}/src/index.ts`,
      rule: `libs/${name} is not in the library order: add it to ${WHERE}, after every library it imports`,
    }));
  const stale = order
    .filter((name) => !libraries.has(name))
    .map((name) => ({
      name,
      file: 'tools/architecture/src/library-order.ts',
      rule: `${WHERE} names ${name}, which is no library: take it out`,
    }));
  return [...missing, ...stale];
}

/** Reading a benchmark's settings from the environment: every one has a default, and a bad value fails the run. */

/** An integer setting (`BENCH_ROUNDS`), at least `min`; `fallback` when unset or empty. */
export function intFromEnv(name: string, fallback: number, min = 1): number {
  const raw = process.env[name];
  if (raw === undefined || raw === '') return fallback;
  const value = Number(raw);
  if (!Number.isInteger(value) || value < min) throw new Error(`${name} must be an integer ≥ ${min} (got ${raw})`);
  return value;
}

/** A comma-separated setting; `fallback` when unset or empty. */
export function listFromEnv(name: string, fallback: readonly string[] = []): string[] {
  const values = (process.env[name] ?? '').split(',').map((value) => value.trim());
  const given = values.filter(Boolean);
  return given.length > 0 ? given : [...fallback];
}

/** A comma-separated setting whose values must come from `allowed` (kept in `allowed`'s order); all when unset. */
export function choiceFromEnv<T extends string>(name: string, allowed: readonly T[]): T[] {
  const wanted = listFromEnv(name);
  const unknown = wanted.filter((value) => !allowed.includes(value as T));
  if (unknown.length > 0) throw new Error(`${name}: unknown value(s) ${unknown.join(', ')} (${allowed.join(', ')})`);
  return wanted.length > 0 ? allowed.filter((value) => wanted.includes(value)) : [...allowed];
}

/**
 * Reads settings collecting every problem instead of stopping at the first: `read` returns
 * `fallback` for a setting whose parse throws, `int` is {@link intFromEnv} so read; `problems` then
 * lists what was wrong, for one message.
 */
export function settingsReader(): {
  readonly problems: string[];
  read<T>(parse: () => T, fallback: T): T;
  int(name: string, fallback: number, min?: number): number;
} {
  const problems: string[] = [];
  const read = <T>(parse: () => T, fallback: T): T => {
    try {
      return parse();
    } catch (error) {
      problems.push(error instanceof Error ? error.message : String(error));
      return fallback;
    }
  };
  return { problems, read, int: (name, fallback, min = 1) => read(() => intFromEnv(name, fallback, min), fallback) };
}

import { z } from 'zod';

/** The raw environment as a process sees it. */
export type EnvSource = Readonly<Record<string, string | undefined>>;

/** A variable's rule: how to read it and, for people, what is allowed. */
export interface EnvVar<T> {
  readonly schema: z.ZodType<T, string | undefined>;
  readonly allowed: string;
}

/**
 * Thrown at start-up when one or more variables hold a value that is not allowed.
 * The message names each variable, what it holds and what is allowed.
 */
export class ConfigValidationError extends Error {
  readonly code = 'CONFIG_INVALID';

  constructor(readonly problems: readonly string[]) {
    super(`Invalid configuration:\n${problems.map((p) => `  - ${p}`).join('\n')}`);
    this.name = 'ConfigValidationError';
  }
}

const INTEGER = /^-?\d+$/;

/** Builders for the rules of environment variables; each knows how to say what it allows. */
export const env = {
  integer(options: { min: number; max: number; default: number }): EnvVar<number> {
    return {
      allowed: `an integer from ${options.min} to ${options.max} (default ${options.default})`,
      schema: z
        .string()
        .trim()
        .regex(INTEGER)
        .transform(Number)
        .pipe(z.number().int().min(options.min).max(options.max))
        .optional()
        .transform((value) => value ?? options.default),
    };
  },

  oneOf<const T extends readonly [string, ...string[]]>(values: T, defaultValue: T[number]): EnvVar<T[number]> {
    return {
      allowed: `one of ${values.join(', ')} (default ${defaultValue})`,
      schema: z
        .enum(values)
        .optional()
        .transform((value) => value ?? defaultValue),
    };
  },

  text(options: { default: string; minLength?: number; pattern?: RegExp; describe?: string }): EnvVar<string> {
    let schema = z.string().min(options.minLength ?? 1);
    if (options.pattern) schema = schema.regex(options.pattern);
    return {
      allowed: `${options.describe ?? `a string of at least ${options.minLength ?? 1} characters`} (default ${JSON.stringify(options.default)})`,
      schema: schema.optional().transform((value) => value ?? options.default),
    };
  },

  optionalText(options: { minLength?: number; describe?: string }): EnvVar<string | undefined> {
    return {
      allowed: options.describe ?? `a string of at least ${options.minLength ?? 1} characters, or unset`,
      schema: z
        .string()
        .min(options.minLength ?? 1)
        .optional(),
    };
  },

  requiredText(options: { minLength?: number; describe?: string }): EnvVar<string> {
    return {
      allowed: options.describe ?? `a string of at least ${options.minLength ?? 1} characters (required)`,
      schema: z.string().min(options.minLength ?? 1),
    };
  },

  url(options: { default: string; protocols: readonly string[] }): EnvVar<string> {
    return {
      allowed: `a URL with scheme ${options.protocols.map((p) => `${p}//`).join(' or ')} (default ${options.default})`,
      schema: z
        .string()
        .refine((value) => {
          try {
            return options.protocols.includes(new URL(value).protocol);
          } catch {
            return false;
          }
        })
        .optional()
        .transform((value) => value ?? options.default),
    };
  },
};

type Shape = Record<string, EnvVar<unknown>>;
type Parsed<S extends Shape> = { readonly [K in keyof S]: S[K] extends EnvVar<infer T> ? T : never };

/**
 * Reads the named variables from `source`, checks each against its rule, and returns
 * a frozen object; throws {@link ConfigValidationError} naming every bad variable.
 * An empty string counts as unset.
 *
 * @example
 * const { PORT } = parseEnv(process.env, { PORT: env.integer({ min: 0, max: 65535, default: 3000 }) });
 */
export function parseEnv<S extends Shape>(source: EnvSource, shape: S): Parsed<S> {
  const problems: string[] = [];
  const result: Record<string, unknown> = {};
  for (const [name, rule] of Object.entries(shape)) {
    const raw = source[name] === '' ? undefined : source[name];
    const parsed = rule.schema.safeParse(raw);
    if (parsed.success) {
      result[name] = parsed.data;
    } else {
      problems.push(`${name} is ${JSON.stringify(raw)}; allowed: ${rule.allowed}`);
    }
  }
  if (problems.length > 0) throw new ConfigValidationError(problems);
  return Object.freeze(result) as Parsed<S>;
}

import { registerAs } from '@nestjs/config';
import { ConfigValidationError, env, parseEnv } from '@app/service-defaults';
import { DEFAULT_INTERNAL_PATHS, parseInternalPath } from './internal-paths';

export interface InternalPathsConfig {
  /** `STRANGLER_INTERNAL_PATHS`: the paths the data plane answers `404` for unless a route routes them. */
  readonly internalPaths: readonly string[];
}

const ALLOWED = `comma-separated path patterns (literal segments, name*, *, a last **), or none (default ${DEFAULT_INTERNAL_PATHS.join(',')})`;

/** The `stranglerInternalPaths` configuration area. */
export const internalPathsConfig = registerAs('stranglerInternalPaths', (): InternalPathsConfig => {
  const vars = parseEnv(process.env, { STRANGLER_INTERNAL_PATHS: env.optionalText({ describe: ALLOWED }) });
  const raw = vars.STRANGLER_INTERNAL_PATHS?.trim();
  if (raw === undefined) return Object.freeze({ internalPaths: DEFAULT_INTERNAL_PATHS });
  if (raw === 'none') return Object.freeze({ internalPaths: Object.freeze([]) });
  const internalPaths = raw.split(',').map((pattern) => pattern.trim());
  const problems = internalPaths.flatMap((pattern) => {
    try {
      parseInternalPath(pattern);
      return [];
    } catch (error) {
      return [`STRANGLER_INTERNAL_PATHS is ${JSON.stringify(raw)}: ${(error as Error).message}; allowed: ${ALLOWED}`];
    }
  });
  if (problems.length > 0) throw new ConfigValidationError(problems);
  return Object.freeze({ internalPaths: Object.freeze(internalPaths) });
});

import diff from 'microdiff';
import { type JsonPath, formatPath, generalPath } from './json-path';
import { type PathPattern, matchesAny } from './path-pattern';

/** A place where the two answers' bodies differ. */
export interface BodyDifference {
  /** `items[0].priceCents`; `$` when the bodies differ as a whole (not both JSON objects or arrays). */
  readonly path: string;
  /** The same with any array index as `*`: what noise is learnt by. */
  readonly general: string;
  readonly raw: JsonPath;
  /** Undefined where only the target has the place. */
  readonly legacy: unknown;
  /** Undefined where only legacy has the place. */
  readonly target: unknown;
}

const isContainer = (value: unknown): value is object => typeof value === 'object' && value !== null;

/**
 * Where two parsed JSON bodies differ, leaving out the places `ignore` matches. Arrays are
 * compared by position. Two bodies that are not both objects or both arrays differ as a whole.
 */
export function diffBodies(legacy: unknown, target: unknown, ignore: readonly PathPattern[] = []): BodyDifference[] {
  if (!isContainer(legacy) || !isContainer(target) || Array.isArray(legacy) !== Array.isArray(target)) {
    return Object.is(legacy, target) ? [] : [difference([], legacy, target)];
  }
  return diff(legacy as Record<string, unknown>, target as Record<string, unknown>)
    .filter((change) => !matchesAny(ignore, change.path))
    .map((change) =>
      change.type === 'CREATE'
        ? difference(change.path, undefined, change.value)
        : change.type === 'REMOVE'
          ? difference(change.path, change.oldValue, undefined)
          : difference(change.path, change.oldValue, change.value),
    );
}

function difference(path: JsonPath, legacy: unknown, target: unknown): BodyDifference {
  return { path: formatPath(path), general: generalPath(path), raw: path, legacy, target };
}

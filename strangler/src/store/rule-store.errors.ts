import { DomainError } from '@app/service-defaults';

// The codes and their HTTP statuses are listed once, in ../admin/admin.errors.ts.

/** The document fails the rules check; `messages` has every problem with where it is. */
export class RulesInvalidError extends DomainError {
  constructor(
    readonly errors: readonly string[],
    readonly warnings: readonly string[] = [],
  ) {
    super('STRANGLER_RULES_INVALID', errors);
  }
}

/** A write named a version that is no longer the current one. */
export class VersionConflictError extends DomainError {
  constructor(
    readonly expectedVersion: number,
    readonly currentVersion: number,
  ) {
    super(
      'STRANGLER_VERSION_CONFLICT',
      `The rules are at version ${currentVersion}, not ${expectedVersion}: read them again and retry.`,
    );
  }
}

export class VersionNotFoundError extends DomainError {
  constructor(readonly version: number) {
    super('STRANGLER_VERSION_NOT_FOUND', `The rules have no version ${version}.`);
  }
}

export class RouteNotFoundError extends DomainError {
  constructor(readonly routeId: string) {
    super('STRANGLER_ROUTE_NOT_FOUND', `No route has the id "${routeId}".`);
  }
}

export class GroupNotFoundError extends DomainError {
  constructor(readonly group: string) {
    super('STRANGLER_GROUP_NOT_FOUND', `No route belongs to the group "${group}".`);
  }
}

/** Redis does not answer: reads and writes of the store fail (routing goes on with the last version). */
export class StoreUnavailableError extends DomainError {
  constructor(detail: string) {
    super('STRANGLER_STORE_UNAVAILABLE', `The rule store (Redis) is unavailable: ${detail}`);
  }
}

/**
 * This instance's history copy (`STRANGLER_HISTORY_DIR`) cannot be used. Never thrown to a
 * caller of the admin API: the sync reports it in its status and log, and routing goes on.
 */
export abstract class HistoryCopyError extends DomainError {
  constructor(
    code: string,
    readonly file: string,
    message: string,
  ) {
    super(code, message);
  }
}

/** A line of the history copy is not what this build wrote; the file is left as it is. */
export class HistoryCopyCorruptError extends HistoryCopyError {
  constructor(
    file: string,
    readonly line: number,
    detail: string,
  ) {
    super(
      'STRANGLER_HISTORY_COPY_CORRUPT',
      file,
      `The history copy ${file} is corrupt at line ${line}: ${detail}. Move the file aside: the instance makes a new copy from Redis.`,
    );
  }
}

/** The history copy cannot be read or written (permissions, a full disk, a folder in its place). */
export class HistoryCopyUnavailableError extends HistoryCopyError {
  constructor(file: string, detail: string) {
    super('STRANGLER_HISTORY_COPY_UNAVAILABLE', file, `The history copy ${file} cannot be read or written: ${detail}`);
  }
}

/**
 * Redis holds another history than the copy (it lost its data and something wrote a new one
 * before this instance could restore): the copy is set aside under `aside`, and a new one follows Redis.
 */
export class HistoryCopyDivergedError extends HistoryCopyError {
  constructor(
    file: string,
    readonly version: number,
    readonly aside: string,
  ) {
    super(
      'STRANGLER_HISTORY_COPY_DIVERGED',
      file,
      `Redis holds another version ${version} than the history copy ${file}: the copy was moved to ${aside} and a new one follows Redis.`,
    );
  }
}

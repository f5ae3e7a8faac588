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

/** Stable codes of the launcher's failures. */
export type StackErrorCode =
  | 'STACK_CONFIG_INVALID'
  | 'STACK_BUILD_MISSING'
  | 'STACK_PORT_IN_USE'
  | 'STACK_REDIS_UNAVAILABLE'
  | 'STACK_PROCESS_EXITED'
  | 'STACK_NOT_READY'
  | 'STACK_STEP_FAILED'
  | 'STACK_ALREADY_RUNNING';

/** A failure the launcher explains to the developer in one message; no stack trace needed. */
export class StackError extends Error {
  constructor(
    readonly code: StackErrorCode,
    message: string,
  ) {
    super(message);
    this.name = 'StackError';
  }
}

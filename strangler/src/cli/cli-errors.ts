/** Bad arguments: the CLI prints the message and the usage, and exits 2. */
export class UsageError extends Error {
  override readonly name = 'UsageError';
}

/** Anything else that stops a command (admin API unreachable, unreadable file): exit 1. */
export class CliError extends Error {
  override readonly name = 'CliError';
}

/** The admin API answered with an error body. */
export class AdminApiError extends Error {
  override readonly name = 'AdminApiError';

  constructor(
    readonly status: number,
    readonly code: string,
    readonly messages: readonly string[],
    readonly body: unknown,
  ) {
    super(`${code} (${status}): ${messages.join('; ')}`);
  }
}

export const EXIT_OK = 0;
export const EXIT_FAILED = 1;
export const EXIT_USAGE = 2;

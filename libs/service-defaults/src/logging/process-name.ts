import { basename } from 'node:path';

let registered: string | undefined;

/**
 * Remembers the name of the process's app (the first `ServiceDefaultsModule.forRoot` of the
 * process), for the lines logged before the app is built and for a start-up failure.
 */
export function registerProcessName(name: string): void {
  registered ??= name;
}

/** The registered name, or the entry script's file name when no app registered one. */
export function defaultProcessName(): string {
  return registered ?? basename(process.argv[1] ?? 'node').replace(/\.[cm]?[jt]s$/, '');
}

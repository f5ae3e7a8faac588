import { option } from '../cli-command';
import { UsageError } from '../cli-errors';
import { integerValue, textValue } from '../command-values';

/** The options of every command that writes a version. */
export const WRITE_OPTIONS = {
  reason: option('--reason <text>', 'why: kept with the version and in the audit log', textValue('--reason')),
  expect: option(
    '--expect <V>',
    'the version the change is based on (default: the current one, read just before)',
    integerValue('--expect', 0, Number.MAX_SAFE_INTEGER),
  ),
} as const;

/** The reason, which every write needs. */
export function requireReason(reason: string | undefined): string {
  if (reason === undefined) throw new UsageError('Say why with --reason: it is kept with the version.');
  return reason;
}

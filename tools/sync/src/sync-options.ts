import { parseArgs } from 'node:util';
import { AGGREGATE_KINDS, type AggregateKind } from './kinds';
import { SyncError } from './sync-errors';

/** The longest `--wait`: an hour. */
export const MAX_WAIT_SECONDS = 3_600;
/** How long `--repair` waits for the resent events when `--wait` is not given. */
export const REPAIR_WAIT_SECONDS = 30;

export interface SyncOptions {
  /** `--json`: one JSON object on the last line of standard output. */
  readonly json: boolean;
  /**
   * `--wait <seconds>`: check again until equal or the time is up (0: check once); with
   * `--repair`, how long to wait for the resent events (default {@link REPAIR_WAIT_SECONDS}).
   */
  readonly waitSeconds: number;
  /** `--kind a,b`: the kinds to compare, in the table's order (default: all). */
  readonly kinds: readonly AggregateKind[];
  /** `--repair`: ask the origins to send again what a side has not applied, then check again (see repair.ts). */
  readonly repair: boolean;
}

export type ParsedArguments = { readonly help: true } | ({ readonly help: false } & SyncOptions);

export const USAGE = `Usage: npm run sync:verify -- [--kind ${AGGREGATE_KINDS.map((kind) => kind.name).join(',')}] [--wait <seconds>] [--repair] [--json]

Compares every shared aggregate on every side that holds it, reading each process's database
as npm start gives it (LEGACY_DATABASE_URL, CATALOG_DATABASE_URL, INVENTORY_DATABASE_URL,
PAYMENTS_DATABASE_URL, else the SQLite files in STACK_DATA_DIR, default data/).

  --kind <kinds>    comma-separated kinds to compare (default: all)
  --wait <seconds>  check again until equal or the time is up, then print the last check (default 0: once)
  --json            print one JSON object (counts per kind, differences) as the last line
  --repair          when sides differ, ask each origin to send again the events a side has not applied,
                    then check again until equal or --wait is up (default ${REPAIR_WAIT_SECONDS} s with --repair)

Exit status: 0 all equal, 1 a difference, 2 the check failed (its code on standard error).`;

/** Reads the command line (without `node` and the script); throws `SYNC_OPTIONS_INVALID` naming what is wrong. */
export function parseSyncArguments(argv: readonly string[]): ParsedArguments {
  let values: { json?: boolean; wait?: string; kind?: string[]; repair?: boolean; help?: boolean };
  try {
    ({ values } = parseArgs({
      args: [...argv],
      strict: true,
      allowPositionals: false,
      options: {
        json: { type: 'boolean' },
        wait: { type: 'string' },
        kind: { type: 'string', multiple: true },
        repair: { type: 'boolean' },
        help: { type: 'boolean', short: 'h' },
      },
    }));
  } catch (error) {
    throw new SyncError('SYNC_OPTIONS_INVALID', error instanceof Error ? error.message : String(error));
  }
  if (values.help) return { help: true };
  return {
    help: false,
    json: values.json ?? false,
    waitSeconds: values.wait === undefined ? (values.repair ? REPAIR_WAIT_SECONDS : 0) : parseWait(values.wait),
    kinds: values.kind === undefined ? AGGREGATE_KINDS : parseKinds(values.kind),
    repair: values.repair ?? false,
  };
}

function parseWait(raw: string): number {
  const seconds = /^\d+(\.\d+)?$/.test(raw.trim()) ? Number(raw) : NaN;
  if (Number.isFinite(seconds) && seconds <= MAX_WAIT_SECONDS) return seconds;
  throw new SyncError(
    'SYNC_OPTIONS_INVALID',
    `--wait is ${JSON.stringify(raw)}; allowed: a number of seconds from 0 to ${MAX_WAIT_SECONDS} (default 0)`,
  );
}

function parseKinds(raw: readonly string[]): AggregateKind[] {
  const names = new Set(raw.flatMap((value) => value.split(',')).map((name) => name.trim()));
  const unknown = [...names].filter((name) => !AGGREGATE_KINDS.some((kind) => kind.name === name));
  if (unknown.length > 0 || names.size === 0) {
    throw new SyncError(
      'SYNC_OPTIONS_INVALID',
      `--kind names ${unknown.map((name) => JSON.stringify(name)).join(', ')}; allowed: ` +
        `${AGGREGATE_KINDS.map((kind) => kind.name).join(', ')} (comma-separated; default all)`,
    );
  }
  return AGGREGATE_KINDS.filter((kind) => names.has(kind.name));
}

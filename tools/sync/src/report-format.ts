import type { RepairPlan, RepairRequest } from './repair';
import type { Difference, FieldValue, KindResult, SyncReport, VersionVector } from './sync-report';
import type { SyncError } from './sync-errors';

const value = (field: FieldValue): string => (typeof field === 'string' ? JSON.stringify(field) : String(field));

/** `{legacy-monolith:3 payments:1}`, origins in order; `{}` when the side has applied no event. */
export function formatVector(vector: VersionVector): string {
  const entries = Object.keys(vector)
    .sort()
    .map((origin) => `${origin}:${vector[origin]}`);
  return `{${entries.join(' ')}}`;
}

/**
 * One line per difference: the aggregate, what differs, each side's values (of the fields that
 * differ) and version vector, and the events the vectors say a side has not applied.
 *
 * @example
 * wallets customer 5f0c…: balanceCents differs | legacy-monolith balanceCents=1500 vector {legacy-monolith:3} | payments balanceCents=1000 vector {legacy-monolith:2} | payments has not applied legacy-monolith 3
 */
export function formatDifference(difference: Difference): string {
  const what =
    difference.missingAt.length > 0
      ? `missing at ${difference.missingAt.join(', ')}`
      : `${difference.fields.join(', ')} ${difference.fields.length === 1 ? 'differs' : 'differ'}`;
  const sides = difference.sides.map((side) => {
    const values =
      side.values === null
        ? 'missing'
        : difference.fields.map((field) => `${field}=${value(side.values?.[field] ?? null)}`).join(' ');
    return `${side.process} ${values} vector ${formatVector(side.vector)}`;
  });
  const events =
    difference.missingEvents.length > 0
      ? difference.missingEvents
          .map(
            ({ process, origin, from, to }) =>
              `${process} has not applied ${origin} ${from === to ? from : `${from}-${to}`}`,
          )
          .join(', ')
      : 'vectors equal: no event is on its way to settle it';
  return [`${difference.kind} ${difference.aggregateType} ${difference.aggregateId}: ${what}`, ...sides, events].join(
    ' | ',
  );
}

const count = (kind: KindResult): string => `${kind.compared} ${kind.aggregateType}${kind.compared === 1 ? '' : 's'}`;

/** The last line of the human output: everything equal, or how many differ of each kind. */
export function formatSummary(report: SyncReport): string {
  const after =
    report.checks > 1 ? ` (after ${report.checks} checks in ${(report.elapsedMs / 1000).toFixed(1)} s)` : '';
  if (report.equal) {
    const kinds = report.kinds.map((kind) => `${kind.kind} ${count(kind)} on ${kind.sides.join(', ')}`);
    return `All equal: ${kinds.join('; ')}${after}.`;
  }
  const total = report.kinds.reduce((sum, kind) => sum + kind.differences.length, 0);
  const kinds = report.kinds.map((kind) => `${kind.kind} ${kind.differences.length} of ${count(kind)}`);
  return `${total} ${total === 1 ? 'difference' : 'differences'}: ${kinds.join(', ')}${after}.`;
}

/** The human output of a check: one line per difference, then the summary. */
export function formatReport(report: SyncReport): string[] {
  return [...report.kinds.flatMap((kind) => kind.differences.map(formatDifference)), formatSummary(report)];
}

/** What `--repair` asked for: the request, and who lacks the events. */
export function formatRepairRequest(request: RepairRequest): string {
  return (
    `Asked ${request.origin} to send ${request.aggregateType} ${request.aggregateId} again from ` +
    `${request.fromSequence} (for ${request.for.join(', ')}).`
  );
}

/** The lines `--repair` prints before the check that follows it: each request, then what no resend settles. */
export function formatRepair(plan: RepairPlan): string[] {
  return [
    ...plan.requests.map(formatRepairRequest),
    ...plan.unrepairable.map(
      (difference) =>
        `Cannot repair ${difference.kind} ${difference.aggregateType} ${difference.aggregateId} by a resend: every ` +
        'side applied the same events, so a write outside the events changed one side; correct it there.',
    ),
  ];
}

/**
 * The `--json` output of a check: counts per kind and every difference, as one line; after
 * `--repair` also `repair: { requests, unrepairable }` (the aggregates no resend settles).
 */
export function formatJson(report: SyncReport, repair?: RepairPlan): string {
  return JSON.stringify({
    equal: report.equal,
    checks: report.checks,
    elapsedMs: report.elapsedMs,
    kinds: Object.fromEntries(
      report.kinds.map((kind) => [
        kind.kind,
        {
          aggregateType: kind.aggregateType,
          sides: kind.sides,
          compared: kind.compared,
          differences: kind.differences.length,
        },
      ]),
    ),
    differences: report.kinds.flatMap((kind) => kind.differences),
    ...(repair && {
      repair: {
        requests: repair.requests,
        unrepairable: repair.unrepairable.map(({ kind, aggregateType, aggregateId }) => ({
          kind,
          aggregateType,
          aggregateId,
        })),
      },
    }),
  });
}

/** The `--json` output of a failure. */
export function formatJsonError(error: SyncError): string {
  return JSON.stringify({ error: { code: error.code, message: error.message } });
}

/** What `--wait` says on standard error before it checks again. */
export function formatRetry(report: SyncReport, remainingMs: number): string {
  const total = report.kinds.reduce((sum, kind) => sum + kind.differences.length, 0);
  const kinds = report.kinds
    .filter((kind) => kind.differences.length > 0)
    .map((kind) => `${kind.kind} ${kind.differences.length}`);
  return (
    `check ${report.checks}: ${total} ${total === 1 ? 'difference' : 'differences'} (${kinds.join(', ')}); ` +
    `checking again for up to ${(remainingMs / 1000).toFixed(1)} s`
  );
}

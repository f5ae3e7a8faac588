import type { AggregateKind, FieldSpec } from './kinds';
import type { Row } from './side-database';
import type {
  Difference,
  FieldValue,
  FieldValues,
  KindResult,
  MissingEvents,
  SideState,
  VersionVector,
} from './sync-report';

/** What one side holds of a kind: its rows by aggregate id, and the version vectors of the aggregate type. */
export interface SideRows {
  readonly process: string;
  readonly rows: ReadonlyMap<string, FieldValues>;
  readonly vectors: ReadonlyMap<string, VersionVector>;
}

/** A row of a kind's query as compared values, by aggregate id (ids in lower case: PostgreSQL prints uuids so). */
export function toFieldValues(fields: readonly FieldSpec[], rows: readonly Row[]): Map<string, FieldValues> {
  const values = new Map<string, FieldValues>();
  for (const row of rows) {
    const record: Record<string, FieldValue> = {};
    for (const field of fields) {
      const raw = row[field.name];
      record[field.name] =
        raw === null || raw === undefined ? null : field.type === 'integer' ? Number(raw) : String(raw);
    }
    values.set(String(row.id).toLowerCase(), record);
  }
  return values;
}

/**
 * Compares a kind on its sides (in the kind's order): every aggregate any side holds, on every
 * side. An aggregate differs when a side lacks it or when a field is not the same everywhere.
 */
export function compareKind(kind: AggregateKind, sides: readonly SideRows[]): KindResult {
  const ids = [...new Set(sides.flatMap((side) => [...side.rows.keys()]))].sort();
  const differences: Difference[] = [];
  for (const aggregateId of ids) {
    const states: SideState[] = sides.map((side) => ({
      process: side.process,
      values: side.rows.get(aggregateId) ?? null,
      vector: side.vectors.get(aggregateId) ?? {},
    }));
    const missingAt = states.filter((state) => state.values === null).map((state) => state.process);
    const fields =
      missingAt.length > 0
        ? kind.fields.map((field) => field.name)
        : kind.fields.map((field) => field.name).filter((name) => !sameEverywhere(states, name));
    if (fields.length === 0) continue;
    differences.push({
      kind: kind.name,
      aggregateType: kind.aggregateType,
      aggregateId,
      fields,
      missingAt,
      sides: states,
      missingEvents: missingEvents(states),
    });
  }
  return {
    kind: kind.name,
    aggregateType: kind.aggregateType,
    sides: sides.map((side) => side.process),
    compared: ids.length,
    differences,
  };
}

function sameEverywhere(states: readonly SideState[], field: string): boolean {
  const first = states[0]?.values?.[field];
  return states.every((state) => state.values?.[field] === first);
}

/**
 * For each origin, the sides whose vector is behind the furthest one: the events they have not
 * applied. Equal vectors with different values mean no event is on its way to settle it.
 */
export function missingEvents(states: readonly SideState[]): MissingEvents[] {
  const origins = [...new Set(states.flatMap((state) => Object.keys(state.vector)))].sort();
  const missing: MissingEvents[] = [];
  for (const origin of origins) {
    const furthest = Math.max(...states.map((state) => state.vector[origin] ?? 0));
    for (const state of states) {
      const applied = state.vector[origin] ?? 0;
      if (applied < furthest) missing.push({ process: state.process, origin, from: applied + 1, to: furthest });
    }
  }
  return missing;
}

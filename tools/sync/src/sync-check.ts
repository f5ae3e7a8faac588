import { type SideRows, compareKind, toFieldValues } from './compare-kind';
import type { AggregateKind } from './kinds';
import { openSide } from './open-side';
import type { SideDatabase } from './side-database';
import type { SideLocation } from './side-locations';
import { SyncError } from './sync-errors';
import type { FieldValues, KindResult, VersionVector } from './sync-report';
import { readVersionVectors } from './version-vectors';

interface SideReading {
  /** Per kind name: aggregate id → compared values. */
  readonly rows: Map<string, Map<string, FieldValues>>;
  /** Per aggregate type: aggregate id → version vector. */
  readonly vectors: Map<string, Map<string, VersionVector>>;
}

/**
 * The databases of the sides of some kinds, open read-only for as long as the check lasts, and
 * one comparison of them: each side is read in one snapshot, the sides one after the other
 * (events in flight between two reads show as differences; `--wait` checks again).
 */
export class SyncCheck {
  private constructor(
    private readonly kinds: readonly AggregateKind[],
    private readonly databases: ReadonlyMap<string, SideDatabase>,
  ) {}

  /** Opens the database of every side of `kinds`; fails with the first side that cannot be opened. */
  static async open(kinds: readonly AggregateKind[], locations: ReadonlyMap<string, SideLocation>): Promise<SyncCheck> {
    const processes = [...new Set(kinds.flatMap((kind) => kind.sides.map((side) => side.process)))];
    const opened = await Promise.allSettled(
      processes.map((process) => {
        const location = locations.get(process);
        if (!location) {
          throw new SyncError('SYNC_CONFIG_INVALID', `The stack has no process ${process} with a database`);
        }
        return openSide(location);
      }),
    );
    const databases = new Map<string, SideDatabase>();
    for (const outcome of opened)
      if (outcome.status === 'fulfilled') databases.set(outcome.value.process, outcome.value);
    const failure = opened.find((outcome) => outcome.status === 'rejected');
    if (failure) {
      await Promise.all([...databases.values()].map((database) => database.close()));
      throw failure.reason;
    }
    return new SyncCheck(kinds, databases);
  }

  /** Reads every side once and compares each kind. */
  async run(): Promise<KindResult[]> {
    const readings = new Map<string, SideReading>();
    for (const [process, database] of this.databases) readings.set(process, await this.read(database));
    return this.kinds.map((kind) =>
      compareKind(
        kind,
        kind.sides.map((side): SideRows => {
          const reading = readings.get(side.process);
          return {
            process: side.process,
            rows: reading?.rows.get(kind.name) ?? new Map(),
            vectors: reading?.vectors.get(kind.aggregateType) ?? new Map(),
          };
        }),
      ),
    );
  }

  async close(): Promise<void> {
    await Promise.all([...this.databases.values()].map((database) => database.close()));
  }

  private read(database: SideDatabase): Promise<SideReading> {
    return database.read(async (query) => {
      const reading: SideReading = { rows: new Map(), vectors: new Map() };
      for (const kind of this.kinds) {
        const side = kind.sides.find((candidate) => candidate.process === database.process);
        if (!side) continue;
        reading.rows.set(kind.name, toFieldValues(kind.fields, await query(side.sql)));
        if (!reading.vectors.has(kind.aggregateType)) {
          reading.vectors.set(
            kind.aggregateType,
            await readVersionVectors(query, database.process, kind.aggregateType),
          );
        }
      }
      return reading;
    });
  }
}

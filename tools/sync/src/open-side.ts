import { openPostgresSide } from './postgres-side';
import type { SideDatabase } from './side-database';
import type { SideLocation } from './side-locations';
import { openSqliteSide } from './sqlite-side';

/** Opens a process's database read-only, whichever kind it is. */
export async function openSide(location: SideLocation): Promise<SideDatabase> {
  return location.kind === 'sqlite' ? openSqliteSide(location) : openPostgresSide(location);
}

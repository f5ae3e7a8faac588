import { type KeyLayout, keyGroupPrefix } from '@app/redis-streams';

/** The group of the positions store's keys: its scripts read and write them together. */
export const CONSISTENCY_KEY_GROUP = 'consistency';

/**
 * Where every key of the positions store starts (the scripts' `base`): `<prefix>consistency:` on
 * a single Redis, as it always was, and `<prefix>{<prefix>consistency}consistency:` on a Redis
 * Cluster, so that every key a script builds is in the slot of that hash tag.
 *
 * @example
 * positionsBase('ficus:') // 'ficus:consistency:'
 * positionsBase('ficus:', { cluster: true }) // 'ficus:{ficus:consistency}consistency:'
 */
export function positionsBase(prefix: string, layout: KeyLayout = {}): string {
  return `${keyGroupPrefix(prefix, CONSISTENCY_KEY_GROUP, layout)}consistency:`;
}
